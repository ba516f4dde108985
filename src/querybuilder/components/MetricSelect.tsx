import React, { useEffect, useState } from 'react';

import { SelectableValue } from '@grafana/data';
import { Select } from '@grafana/ui';

import { metadataFor, MetricsCatalog } from '../metrics_catalog';

interface Props {
  metric: string;
  catalog: MetricsCatalog;
  onChange: (metric: string) => void;
  inputId: string;
  ariaLabel: string;
}

/** How long typing pauses before the server is asked for matching names. */
const SEARCH_DELAY_MS = 250;

/**
 * The metric picker: names come from the server filtered by what was typed (a workspace may have 100k+), each
 * with its type and HELP from metadata. Any name may be typed, including a variable.
 */
export function MetricSelect({ metric, catalog, onChange, inputId, ariaLabel }: Props) {
  const [search, setSearch] = useState('');
  const [open, setOpen] = useState(false);
  const [options, setOptions] = useState<Array<SelectableValue<string>>>([]);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string>();

  useEffect(() => {
    if (!open) {
      return;
    }
    let live = true;
    const timer = setTimeout(async () => {
      setLoading(true);
      try {
        const [page, metadata] = await Promise.all([catalog.metrics(search), catalog.metadata().catch(() => ({}))]);
        if (!live) {
          return;
        }
        const list: Array<SelectableValue<string>> = page.names.map((name) => {
          const md = metadataFor(name, metadata);
          return { label: name, value: name, description: md ? `${md.type}: ${md.help}` : undefined };
        });
        if (page.truncated) {
          list.push({ label: 'Type more to narrow the list', value: '', isDisabled: true });
        }
        setOptions(list);
        setError(undefined);
      } catch (err) {
        if (live) {
          setError(err instanceof Error ? err.message : String(err));
        }
      } finally {
        if (live) {
          setLoading(false);
        }
      }
    }, SEARCH_DELAY_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [catalog, search, open]);

  return (
    <Select<string>
      inputId={inputId}
      aria-label={ariaLabel}
      width={44}
      placeholder="Select metric"
      options={options}
      value={metric ? { label: metric, value: metric } : null}
      isLoading={loading}
      allowCustomValue
      filterOption={() => true}
      noOptionsMessage={error ? `Metrics could not be listed: ${error}` : 'No metric matches'}
      onOpenMenu={() => setOpen(true)}
      onCloseMenu={() => setOpen(false)}
      onInputChange={(text, meta) => {
        if (meta.action === 'input-change') {
          setSearch(text);
        }
      }}
      onChange={(option) => {
        onChange(option?.value ?? '');
        setSearch('');
      }}
    />
  );
}
