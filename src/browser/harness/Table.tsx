import React from 'react';

import { useTheme2 } from '@grafana/ui';

/** A column: its header and the data-cell name the browser test reads. */
export interface Column {
  header: string;
  cell: string;
  mono?: boolean;
}

/** A plain, Grafana-styled table of text cells; each cell carries data-cell for the browser test. */
export function Table({ label, columns, rows }: { label: string; columns: Column[]; rows: React.ReactNode[][] }) {
  const theme = useTheme2();
  const cell: React.CSSProperties = {
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    padding: theme.spacing(0.5, 1),
    textAlign: 'left',
    verticalAlign: 'top',
  };
  return (
    <table
      aria-label={label}
      style={{ borderCollapse: 'collapse', width: '100%', fontSize: theme.typography.bodySmall.fontSize, marginTop: 16 }}
    >
      <thead>
        <tr>
          {columns.map((c) => (
            <th key={c.cell} style={{ ...cell, color: theme.colors.text.secondary, fontWeight: theme.typography.fontWeightMedium }}>
              {c.header}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((row, i) => (
          <tr key={i}>
            {columns.map((c, j) => (
              <td
                key={c.cell}
                data-cell={c.cell}
                style={c.mono ? { ...cell, fontFamily: theme.typography.fontFamilyMonospace } : cell}
              >
                {row[j]}
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
