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
