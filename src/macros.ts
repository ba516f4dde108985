/**
 * Macros the backend expands itself, per query, from the real step and time range. The frontend must send them
 * untouched: Grafana's template service would otherwise substitute `$__interval` and friends from the panel's
 * scoped variables, which use a different step than the backend computes.
 */
export const BACKEND_MACROS: readonly string[] = [
  '__rate_interval_ms',
  '__rate_interval',
  '__interval_ms',
  '__interval',
  '__range_ms',
  '__range_s',
  '__range',
];

const names = BACKEND_MACROS.join('|');

// `$__interval` must not match the prefix of a longer name such as `$__interval_ms` or `$__intervalx`.
const macroPattern = new RegExp(`\\$\\{(?:${names})\\}|\\$(?:${names})(?![A-Za-z0-9_])`, 'g');

// Private-use code points never appear in PromQL and contain no `$`, so the template service leaves them alone.
const placeholderPattern = /\uE000(\d+)\uE001/g;

/**
 * Runs `replace` (normally the template service) over `text`, but keeps every backend macro exactly as written,
 * in either the `$__name` or the `${__name}` spelling.
 */
export function interpolateKeepingMacros(text: string, replace: (text: string) => string): string {
  const kept: string[] = [];
  const masked = text.replace(macroPattern, (macro) => {
    kept.push(macro);
    return `\uE000${kept.length - 1}\uE001`;
  });
  if (kept.length === 0) {
    return replace(text);
  }
  return replace(masked).replace(placeholderPattern, (placeholder, index: string) => kept[Number(index)] ?? placeholder);
}

/** Escapes regular-expression metacharacters in a value, for a regex that is quoted afterwards (quotePromQLString). */
export function escapeRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|{}[\]]/g, '\\$&');
}

/** Escapes regular-expression metacharacters for use inside a double-quoted PromQL string (`=~"..."`). */
export function escapePromQLRegex(value: string): string {
  return value.replace(/[\\^$*+?.()|{}[\]]/g, '\\\\$&');
}

/**
 * The template-service formatter for PromQL, with the behaviour of Grafana's Prometheus data source: a
 * single-valued variable is inserted as it is; a multi-value or "include All" variable is meant for a regex
 * matcher (`job=~"$job"`), so its values are regex-escaped and joined as `(a|b)`.
 */
export function promqlFormatter(value: unknown, variable?: { multi?: boolean; includeAll?: boolean }): string {
  if (Array.isArray(value)) {
    const escaped = value.map((v) => escapePromQLRegex(String(v)));
    return escaped.length === 1 ? escaped[0] : `(${escaped.join('|')})`;
  }
  const text = String(value ?? '');
  return variable?.multi || variable?.includeAll ? escapePromQLRegex(text) : text;
}
