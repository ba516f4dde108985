import React, { useEffect, useMemo, useState } from 'react';

import { Alert, Badge, Box, Button, Checkbox, FilterInput, LoadingPlaceholder, Modal, Stack, Text } from '@grafana/ui';

import { MetricMetadata } from '../../resources/resource_client';
import { escapeRegex } from '../../macros';
import { LabelCount, metadataFor, MetricsCatalog } from '../metrics_catalog';
import { LabelFilter, Selector } from '../model';
import { renderSelector } from '../render';

interface Props {
  catalog: MetricsCatalog;
  onUse: (selector: Selector) => void;
  onDismiss: () => void;
}

/** Rows added per "Show more": the DOM stays small however long the server's list is. */
export const ROWS_PER_PAGE = 50;
const SEARCH_DELAY_MS = 250;

/** The selector for the picked metric and label values: one value is `=`, several are one `=~` alternation. */
export function browserSelector(metric: string, picked: Record<string, string[]>): Selector {
  const labels: LabelFilter[] = Object.entries(picked)
    .filter(([, values]) => values.length > 0)
    .map(([label, values]) =>
      values.length === 1
        ? { label, op: '=', value: values[0] }
        : { label, op: '=~', value: values.map(escapeRegex).join('|') }
    );
  return { metric, labels };
}

function useAsync<T>(load: () => Promise<T>, deps: unknown[]): { value?: T; error?: string; loading: boolean } {
  const [state, setState] = useState<{ value?: T; error?: string; loading: boolean }>({ loading: true });
  useEffect(() => {
    let live = true;
    setState((s) => ({ ...s, loading: true }));
    load().then(
      (value) => live && setState({ value, loading: false }),
      (err) => live && setState({ error: err instanceof Error ? err.message : String(err), loading: false })
    );
    return () => {
      live = false;
    };
  }, deps);
  return state;
}

function MetricRow(props: { name: string; md?: MetricMetadata; selected: boolean; onSelect: () => void }) {
  return (
    <li>
      <Box padding={0.5} backgroundColor={props.selected ? 'secondary' : undefined} borderRadius="default">
        <Stack direction="column" gap={0}>
          <Stack direction="row" gap={1} alignItems="center">
            <Button size="sm" fill="text" variant={props.selected ? 'primary' : 'secondary'} aria-pressed={props.selected} onClick={props.onSelect}>
              {props.name}
            </Button>
            {props.md && <Badge color="blue" text={props.md.type} />}
          </Stack>
          {props.md?.help && (
            <Text variant="bodySmall" color="secondary">
              {props.md.help}
            </Text>
          )}
        </Stack>
      </Box>
    </li>
  );
}

function LabelValues(props: { label: LabelCount; picked: string[]; onChange: (values: string[]) => void }) {
  const [search, setSearch] = useState('');
  const shown = props.label.values.filter((v) => v.toLowerCase().includes(search.toLowerCase()));
  return (
    <Stack direction="column" gap={0.5}>
      <FilterInput placeholder={`Search values of ${props.label.name}`} value={search} onChange={setSearch} />
      <ul aria-label={`Values of ${props.label.name}`} style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: 240, overflowY: 'auto' }}>
        {shown.slice(0, ROWS_PER_PAGE * 4).map((v) => (
          <li key={v}>
            <Checkbox
              label={v}
              value={props.picked.includes(v)}
              onChange={() => props.onChange(props.picked.includes(v) ? props.picked.filter((p) => p !== v) : [...props.picked, v])}
            />
          </li>
        ))}
      </ul>
    </Stack>
  );
}

/**
 * The metrics browser: search metric names on the server (with type and HELP), see the labels of a metric with
 * the number of values each has, pick values, and use the resulting selector as the query.
 */
export function MetricsBrowser({ catalog, onUse, onDismiss }: Props) {
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  const [rows, setRows] = useState(ROWS_PER_PAGE);
  const [metric, setMetric] = useState('');
  const [label, setLabel] = useState<string>();
  const [picked, setPicked] = useState<Record<string, string[]>>({});

  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed), SEARCH_DELAY_MS);
    return () => clearTimeout(timer);
  }, [typed]);
  useEffect(() => setRows(ROWS_PER_PAGE), [search]);

  const page = useAsync(() => catalog.metrics(search), [catalog, search]);
  const metadata = useAsync(() => catalog.metadata().catch(() => ({})), [catalog]);
  const labels = useAsync(
    () => (metric ? catalog.labelCounts(renderSelector({ metric, labels: [] })) : Promise.resolve([])),
    [catalog, metric]
  );
  const selector = useMemo(() => browserSelector(metric, picked), [metric, picked]);
  const names = page.value?.names ?? [];
  const chosen = labels.value?.find((l) => l.name === label);

  const selectMetric = (name: string) => {
    setMetric(name);
    setLabel(undefined);
    setPicked({});
  };

  return (
    <Modal title="Metrics browser" isOpen onDismiss={onDismiss}>
      <Stack direction="column" gap={2}>
        <Stack direction="row" gap={2} alignItems="flex-start">
          <Box flex={1} minWidth={0}>
            <Stack direction="column" gap={1}>
              <FilterInput placeholder="Search metrics" value={typed} onChange={setTyped} aria-label="Search metrics" />
              {page.error && <Alert severity="error" title={`Metrics could not be listed: ${page.error}`} />}
              {page.loading && !page.value && <LoadingPlaceholder text="Loading metrics" />}
              <ul aria-label="Metrics" style={{ listStyle: 'none', margin: 0, padding: 0, maxHeight: 360, overflowY: 'auto' }}>
                {names.slice(0, rows).map((name) => (
                  <MetricRow
                    key={name}
                    name={name}
                    md={metadataFor(name, metadata.value ?? {})}
                    selected={name === metric}
                    onSelect={() => selectMetric(name)}
                  />
                ))}
              </ul>
              {names.length > rows && (
                <Button size="sm" variant="secondary" onClick={() => setRows(rows + ROWS_PER_PAGE)}>
                  Show more ({names.length - rows} left)
                </Button>
              )}
              {page.value?.truncated && (
                <Text variant="bodySmall" color="secondary">
                  Showing the first {names.length} matches: type more to narrow the list.
                </Text>
              )}
              {page.value && names.length === 0 && <Text color="secondary">No metric matches “{search}”.</Text>}
            </Stack>
          </Box>
          <Box flex={1} minWidth={0}>
            <Stack direction="column" gap={1}>
              <Text weight="medium">{metric ? `Labels of ${metric}` : 'Select a metric to see its labels'}</Text>
              {labels.error && <Alert severity="error" title={`Labels could not be listed: ${labels.error}`} />}
              {metric && labels.loading && <LoadingPlaceholder text="Loading labels" />}
              <Stack direction="row" gap={0.5} wrap="wrap">
                {(labels.value ?? []).map((l) => (
                  <Button
                    key={l.name}
                    size="sm"
                    variant={l.name === label ? 'primary' : 'secondary'}
                    aria-pressed={l.name === label}
                    onClick={() => setLabel(l.name === label ? undefined : l.name)}
                  >
                    {`${l.name} (${l.count}${l.truncated ? '+' : ''})`}
                  </Button>
                ))}
              </Stack>
              {chosen && (
                <LabelValues label={chosen} picked={picked[chosen.name] ?? []} onChange={(values) => setPicked({ ...picked, [chosen.name]: values })} />
              )}
            </Stack>
          </Box>
        </Stack>
        <Stack direction="row" gap={1} alignItems="center" justifyContent="space-between">
          <output aria-label="Selector">
            <Text variant="code">{metric ? renderSelector(selector) : ' '}</Text>
          </output>
          <Stack direction="row" gap={1}>
            <Button variant="secondary" onClick={onDismiss}>
              Cancel
            </Button>
            <Button disabled={!metric} onClick={() => onUse(selector)}>
              Use query
            </Button>
          </Stack>
        </Stack>
      </Stack>
    </Modal>
  );
}
