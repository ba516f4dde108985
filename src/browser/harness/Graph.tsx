import React from 'react';

import { DataFrame, FieldType, getFieldDisplayName } from '@grafana/data';
import { useTheme2 } from '@grafana/ui';

const WIDTH = 860;
const HEIGHT = 220;
const PAD = { left: 56, right: 8, top: 8, bottom: 22 };

interface Line {
  name: string;
  points: Array<[number, number]>;
}

/** The series of time-series frames: the time field against each number field; NaN and ±Inf are skipped. */
export function linesOf(frames: DataFrame[]): Line[] {
  const lines: Line[] = [];
  for (const frame of frames) {
    const time = frame.fields.find((f) => f.type === FieldType.time);
    if (!time || frame.length < 2) {
      continue;
    }
    for (const field of frame.fields) {
      if (field.type !== FieldType.number) {
        continue;
      }
      const points: Array<[number, number]> = [];
      for (let i = 0; i < frame.length; i++) {
        const v = field.values[i];
        if (typeof v === 'number' && Number.isFinite(v)) {
          points.push([Number(time.values[i]), v]);
        }
      }
      lines.push({ name: getFieldDisplayName(field, frame, frames), points });
    }
  }
  return lines;
}

const fmt = (v: number) => String(Number(v.toPrecision(4)));

/** A small line graph of the range frames, in the colours of Grafana's classic palette. */
export function Graph({ frames }: { frames: DataFrame[] }) {
  const theme = useTheme2();
  const lines = linesOf(frames);
  const all = lines.flatMap((l) => l.points);
  if (all.length === 0) {
    return null;
  }
  const [t0, t1] = [Math.min(...all.map((p) => p[0])), Math.max(...all.map((p) => p[0]))];
  let [v0, v1] = [Math.min(0, ...all.map((p) => p[1])), Math.max(...all.map((p) => p[1]))];
  if (v1 === v0) {
    v1 = v0 + 1;
  }
  const x = (t: number) => PAD.left + ((t - t0) / Math.max(1, t1 - t0)) * (WIDTH - PAD.left - PAD.right);
  const y = (v: number) => PAD.top + (1 - (v - v0) / (v1 - v0)) * (HEIGHT - PAD.top - PAD.bottom);
  const color = (i: number) => theme.visualization.getColorByName(theme.visualization.palette[i % theme.visualization.palette.length]);
  const axis = theme.colors.text.secondary;
  const time = (t: number) => new Date(t).toISOString().slice(11, 16);
  return (
    <figure style={{ margin: 0 }}>
      <svg role="img" aria-label="Graph" width={WIDTH} height={HEIGHT} style={{ maxWidth: '100%', fontSize: 11 }}>
        {[v0, (v0 + v1) / 2, v1].map((v) => (
          <g key={v}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y(v)} y2={y(v)} stroke={theme.colors.border.weak} />
            <text x={PAD.left - 6} y={y(v) + 4} textAnchor="end" fill={axis}>
              {fmt(v)}
            </text>
          </g>
        ))}
        {[t0, (t0 + t1) / 2, t1].map((t, i) => (
          <text key={i} x={x(t)} y={HEIGHT - 6} textAnchor={(['start', 'middle', 'end'] as const)[i]} fill={axis}>
            {time(t)}
          </text>
        ))}
        {lines.map((l, i) => (
          <polyline
            key={i}
            fill="none"
            stroke={color(i)}
            strokeWidth={1.5}
            points={l.points.map(([t, v]) => `${x(t).toFixed(1)},${y(v).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption style={{ display: 'flex', flexWrap: 'wrap', gap: 12, fontSize: theme.typography.bodySmall.fontSize }}>
        {lines.map((l, i) => (
          <span key={i} style={{ display: 'inline-flex', alignItems: 'center', gap: 4 }}>
            <span style={{ width: 14, height: 4, background: color(i), display: 'inline-block' }} />
            {l.name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
