import React from 'react';

import { DataFrame, FieldType, getFieldDisplayName } from '@grafana/data';
import { Text, useTheme2 } from '@grafana/ui';

/** One frame of a panel's response, as the results table shows it. */
interface FrameSummary {
  type: string;
  /** Display names, as the panel would label the fields. */
  fields: string[];
  rows: number;
  /** The last row's numeric fields. */
  last: string[];
}

/** What a panel's query run gave: its frames, or the error shown instead. */
export interface PanelRun {
  frames: FrameSummary[];
  error: string;
}

function formatNumber(value: unknown): string {
  return typeof value === 'number' ? String(Number(value.toPrecision(6))) : String(value);
}

/** Summarizes a response's frames with the names a panel would show. */
export function summarize(frames: DataFrame[]): FrameSummary[] {
  return frames.map((frame) => ({
    type: frame.meta?.type ?? '',
    fields: frame.fields.map((f) => getFieldDisplayName(f, frame, frames)),
    rows: frame.length,
    last: frame.fields.filter((f) => f.type === FieldType.number).map((f) => formatNumber(f.values[frame.length - 1])),
  }));
}

/** A compact table of a panel's frames: type, field display names, row count and the last row's numbers. */
export function PanelResults({ run }: { run?: PanelRun }) {
  const theme = useTheme2();
  if (!run) {
    return <Text color="secondary">Running…</Text>;
  }
  const cell: React.CSSProperties = {
    borderBottom: `1px solid ${theme.colors.border.weak}`,
    padding: '2px 6px',
    textAlign: 'left',
    verticalAlign: 'top',
  };
  const codes = (items: string[]) => (
    <span style={{ display: 'flex', flexWrap: 'wrap', gap: 4 }}>
      {items.map((item, i) => (
        // Display names can be whole PromQL expressions; let them wrap inside the panel.
        <code key={i} style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>
          {item}
        </code>
      ))}
    </span>
  );
  return (
    <div aria-label="Panel results">
      {run.error && (
        <Text color="error" element="p">
          <span aria-label="Panel error">{run.error}</span>
        </Text>
      )}
      <table style={{ borderCollapse: 'collapse', width: '100%', fontSize: theme.typography.bodySmall.fontSize }}>
        <caption style={{ textAlign: 'left', color: theme.colors.text.secondary }}>
          {run.frames.length} frame{run.frames.length === 1 ? '' : 's'}
        </caption>
        <thead>
          <tr>
            {['#', 'Type', 'Fields', 'Rows', 'Last row (numbers)'].map((h) => (
              <th key={h} style={cell}>
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {run.frames.map((f, i) => (
            <tr key={i} data-frame-type={f.type}>
              <td style={cell}>{i + 1}</td>
              <td style={cell}>{f.type}</td>
              <td style={cell} data-cell="fields">
                {codes(f.fields)}
              </td>
              <td style={cell} data-cell="rows">
                {f.rows}
              </td>
              <td style={cell} data-cell="last">
                {codes(f.last)}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
