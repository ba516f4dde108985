import React, { ChangeEvent, useState } from 'react';

import { Button, IconButton, InlineField, InlineFieldRow, Input, SecretInput, Stack } from '@grafana/ui';

import { AmpOptions, AmpSecureOptions } from '../../types';

import { LABEL_WIDTH, SectionProps, secretBinding } from './settings_props';

/** Headers the SigV4 signer sets; the backend refuses custom headers with these names while SigV4 is on. */
export const SIGNED_HEADER = /^(authorization|x-amz-date|x-amz-security-token|x-amz-content-sha256)$/i;

/** Indexes (1-based) of the custom headers, skipping the Authorization header the auth section manages. */
export function customHeaderIndexes(jsonData: AmpOptions): number[] {
  const out: number[] = [];
  for (let i = 1; jsonData[`httpHeaderName${i}`] !== undefined; i++) {
    const name = jsonData[`httpHeaderName${i}`] ?? '';
    // An empty name is a removed header kept as a placeholder so that later ones stay readable.
    if (name !== '' && name.toLowerCase() !== 'authorization') {
      out.push(i);
    }
  }
  return out;
}

/**
 * Custom HTTP headers as Grafana stores them: names in jsonData.httpHeaderName<N>, values secret in
 * secureJsonData.httpHeaderValue<N>. The backend reads 1, 2, ... until a name is missing, so a removed header in
 * the middle keeps an empty name.
 */
export function CustomHeaders({ options, onOptionsChange }: SectionProps) {
  const jsonData = options.jsonData;
  // Rows added in this session show even while their name is still empty.
  const [added, setAdded] = useState<number[]>([]);
  const indexes = [...new Set([...customHeaderIndexes(jsonData), ...added.filter((i) => jsonData[`httpHeaderName${i}`] !== undefined)])].sort(
    (a, b) => a - b
  );
  const sigv4 = jsonData.sigV4Auth !== false;

  const setName = (i: number, name: string) =>
    onOptionsChange({ ...options, jsonData: { ...jsonData, [`httpHeaderName${i}`]: name } });
  const remove = (i: number) => {
    setAdded(added.filter((a) => a !== i));
    const next: Record<string, unknown> = { ...jsonData };
    if (jsonData[`httpHeaderName${i + 1}`] === undefined) {
      delete next[`httpHeaderName${i}`];
    } else {
      next[`httpHeaderName${i}`] = '';
    }
    const secure: AmpSecureOptions = { ...options.secureJsonData, [`httpHeaderValue${i}`]: '' };
    onOptionsChange({
      ...options,
      jsonData: next as AmpOptions,
      secureJsonData: secure,
      secureJsonFields: { ...options.secureJsonFields, [`httpHeaderValue${i}`]: false },
    });
  };
  const add = () => {
    // A removed header's placeholder (an empty name) is reused before the list grows; the backend skips empty
    // names, so the new row is harmless until it is named.
    let index = 1;
    while (jsonData[`httpHeaderName${index}`] !== undefined && (jsonData[`httpHeaderName${index}`] !== '' || added.includes(index))) {
      index++;
    }
    setAdded([...added, index]);
    onOptionsChange({ ...options, jsonData: { ...jsonData, [`httpHeaderName${index}`]: '' } });
  };

  return (
    <Stack direction="column" gap={0}>
      {indexes.map((i) => {
        const name = jsonData[`httpHeaderName${i}`] ?? '';
        const refused = sigv4 && SIGNED_HEADER.test(name.trim());
        return (
          <InlineFieldRow key={i}>
            <InlineField
              label={`Header ${i}`}
              labelWidth={LABEL_WIDTH}
              invalid={refused}
              error="The SigV4 signer sets this header; a custom value would break the signature"
            >
              <Input
                id={`amp-header-name-${i}`}
                aria-label={`Header ${i} name`}
                width={30}
                value={name}
                placeholder="X-Custom-Header"
                onChange={(e: ChangeEvent<HTMLInputElement>) => setName(i, e.currentTarget.value)}
              />
            </InlineField>
            <InlineField label="Value" labelWidth={10}>
              <SecretInput
                id={`amp-header-value-${i}`}
                aria-label={`Header ${i} value`}
                width={36}
                {...secretBinding({ options, onOptionsChange }, `httpHeaderValue${i}`)}
              />
            </InlineField>
            <IconButton name="trash-alt" tooltip={`Remove header ${i}`} aria-label={`Remove header ${i}`} onClick={() => remove(i)} />
          </InlineFieldRow>
        );
      })}
      <div>
        <Button variant="secondary" icon="plus" size="sm" onClick={add}>
          Add header
        </Button>
      </div>
    </Stack>
  );
}
