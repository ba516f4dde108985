import { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';

import { openAt } from './variables';

/** Grafana's time variables that go where PromQL takes a duration (`[$__rate_interval]`). */
export const RANGE_VARIABLES: ReadonlyArray<{ name: string; info: string }> = [
  { name: '$__rate_interval', info: 'A rate() window: the step plus one scrape interval, at least four scrape intervals' },
  { name: '$__interval', info: 'The step of the panel or Explore query' },
  { name: '$__range', info: 'The length of the dashboard time range' },
];

/** Grafana's time variables as numbers, for arithmetic (`x / $__range_s`). */
export const NUMBER_VARIABLES: ReadonlyArray<{ name: string; info: string }> = [
  { name: '$__interval_ms', info: 'The step in milliseconds' },
  { name: '$__range_s', info: 'The time range in seconds' },
  { name: '$__range_ms', info: 'The time range in milliseconds' },
];

const builtIn = (v: { name: string; info: string }, boost: number): Completion => ({
  label: v.name,
  type: 'variable',
  detail: 'Grafana',
  info: v.info,
  boost,
});

const dashboard = (name: string): Completion => ({ label: `$${name}`, type: 'variable', detail: 'dashboard variable', boost: 1 });

/** Whether `before` ends where PromQL expects a duration: after `[`, a subquery `:`, or `offset`. */
export function isDurationPosition(before: string): boolean {
  const b = before.replace(/\s+$/, '');
  return /\[$/.test(b) || /\[[^\]]*:$/.test(b) || /\boffset$/i.test(b);
}

/**
 * A completion source for Grafana variables in PromQL: after `[` (or `offset`, or a subquery `:`) it offers
 * `$__rate_interval`, `$__interval`, `$__range` and the dashboard's variables; where a `$` is typed it offers all
 * time variables and dashboard variables; inside a quoted label value it adds the dashboard variables to the
 * label values the PromQL completion offers.
 */
export function variableCompletionSource(variables: () => string[]) {
  return (ctx: CompletionContext): CompletionResult | null => {
    const text = ctx.state.doc.sliceString(0, ctx.pos);
    const typed = /\$\{?\w*$/.exec(text);
    const from = typed ? typed.index : ctx.pos;
    const before = text.slice(0, from);
    const inString = openAt(before).quote !== '';
    const names = variables().filter((n) => !n.startsWith('__'));

    if (inString) {
      // A label value: `job="$job"`. The PromQL source offers the workspace's values from the same position.
      const value = /[=~]\s*["'`]([^"'`]*)$/.exec(text);
      if (!value || (!typed && !ctx.explicit && value[1] !== '')) {
        return null;
      }
      return { from: typed ? from : ctx.pos - value[1].length, options: names.map(dashboard), validFor: /^\$?\{?\w*$/ };
    }
    if (isDurationPosition(before)) {
      return {
        from,
        options: [...RANGE_VARIABLES.map((v, i) => builtIn(v, 10 - i)), ...names.map(dashboard)],
        validFor: /^\$?\{?\w*$/,
      };
    }
    if (!typed) {
      return null;
    }
    return {
      from,
      options: [
        ...RANGE_VARIABLES.map((v) => builtIn(v, 2)),
        ...NUMBER_VARIABLES.map((v) => builtIn(v, 1)),
        ...names.map(dashboard),
      ],
      validFor: /^\$?\{?\w*$/,
    };
  };
}
