import React, { ChangeEvent, KeyboardEvent, useEffect, useState } from 'react';

import { Input } from '@grafana/ui';

interface Props {
  value: string;
  onCommit: (value: string) => void;
  'aria-label': string;
  width?: number;
  placeholder?: string;
}

/** A text input that reports its value when it loses focus or on Enter, so a query is not rebuilt per keystroke. */
export function CommitInput({ value, onCommit, width, placeholder, 'aria-label': ariaLabel }: Props) {
  const [text, setText] = useState(value);
  useEffect(() => setText(value), [value]);
  const commit = () => {
    if (text !== value) {
      onCommit(text);
    }
  };
  return (
    <Input
      aria-label={ariaLabel}
      width={width}
      value={text}
      placeholder={placeholder}
      onChange={(e: ChangeEvent<HTMLInputElement>) => setText(e.currentTarget.value)}
      onBlur={commit}
      onKeyDown={(e: KeyboardEvent<HTMLInputElement>) => {
        if (e.key === 'Enter') {
          commit();
        }
      }}
    />
  );
}

/** Label names typed as a comma-separated list. */
export function LabelListInput(props: { labels: string[]; onCommit: (labels: string[]) => void; 'aria-label': string }) {
  return (
    <CommitInput
      aria-label={props['aria-label']}
      width={24}
      placeholder="label, label"
      value={props.labels.join(', ')}
      onCommit={(text) =>
        props.onCommit(
          text
            .split(',')
            .map((s) => s.trim())
            .filter(Boolean)
        )
      }
    />
  );
}
