import { quotePromQLString } from '../resources/selectors';

import { BuilderQuery, Grouping, LabelFilter, Operation, Selector, VectorMatching } from './model';
import { AGGREGATION_BY_NAME, FUNCTION_BY_NAME, PRECEDENCE, RANGE_FUNCTION_BY_NAME } from './operations';

/** Rendered PromQL and the precedence of its outermost operator (Infinity when it is not a binary expression). */
interface Rendered {
  text: string;
  prec: number;
}

const ATOM = Number.POSITIVE_INFINITY;

const LEGACY_NAME = /^[a-zA-Z_:][a-zA-Z0-9_:]*$|^\$|^\[\[/;

/** Whether a name is written unquoted: a legacy metric or label name, or a Grafana variable standing for one. */
export function isPlainName(name: string): boolean {
  return LEGACY_NAME.test(name);
}

function renderLabelName(name: string): string {
  return isPlainName(name) ? name : quotePromQLString(name);
}

function renderFilter(f: LabelFilter): string {
  return `${renderLabelName(f.label)}${f.op}${quotePromQLString(f.value)}`;
}

/** Renders the metric selector: `metric{a="b", c=~"d"}`; a selector without metric or filters selects nothing. */
export function renderSelector(s: Selector): string {
  const filters = s.labels.filter((f) => f.label !== '');
  if (!filters.length) {
    return s.metric || '{}';
  }
  return `${s.metric}{${filters.map(renderFilter).join(', ')}}`;
}

function labelList(labels: string[]): string {
  return `(${labels.map(renderLabelName).join(', ')})`;
}

function renderGrouping(g: Grouping | undefined): string {
  return g ? ` ${g.mode} ${labelList(g.labels)} ` : '';
}

function renderArg(value: string, type: 'number' | 'string'): string {
  return type === 'string' ? quotePromQLString(value) : value;
}

function renderMatching(m: VectorMatching | undefined): string {
  if (!m) {
    return '';
  }
  let out = '';
  if (m.card) {
    out += ` ${m.card} ${labelList(m.labels)}`;
  }
  if (m.group) {
    out += ` group_${m.group}`;
    if (m.include.length) {
      out += ` ${labelList(m.include)}`;
    }
  }
  return out;
}

function paren(r: Rendered, wrap: boolean): string {
  return wrap ? `(${r.text})` : r.text;
}

/** Applies one operation to the rendered inner expression. */
export function applyOperation(inner: Rendered, op: Operation): Rendered {
  switch (op.kind) {
    case 'range': {
      const before = RANGE_FUNCTION_BY_NAME.get(op.fn)?.before.length ?? 0;
      const args = [...op.args];
      args.splice(before, 0, `${inner.text}[${op.range}]`);
      return { text: `${op.fn}(${args.join(', ')})`, prec: ATOM };
    }
    case 'function': {
      const def = FUNCTION_BY_NAME.get(op.fn);
      const args = op.args.map((a, i) => renderArg(a, def?.args[i]?.type ?? 'number'));
      args.splice(def?.vectorIndex ?? 0, 0, inner.text);
      return { text: `${op.fn}(${args.join(', ')})`, prec: ATOM };
    }
    case 'aggregation': {
      const type = AGGREGATION_BY_NAME.get(op.op)?.param?.type ?? 'number';
      const param = op.param === undefined ? '' : `${renderArg(op.param, type)}, `;
      return { text: `${op.op}${renderGrouping(op.grouping)}(${param}${inner.text})`, prec: ATOM };
    }
    case 'scalar': {
      const p = PRECEDENCE[op.operator];
      const bool = op.bool ? ' bool' : '';
      if (op.scalarFirst) {
        const wrap = op.operator === '^' ? inner.prec < p : inner.prec <= p;
        return { text: `${op.value} ${op.operator}${bool} ${paren(inner, wrap)}`, prec: p };
      }
      const wrap = op.operator === '^' ? inner.prec <= p : inner.prec < p;
      return { text: `${paren(inner, wrap)} ${op.operator}${bool} ${op.value}`, prec: p };
    }
    case 'binary': {
      const p = PRECEDENCE[op.operator];
      const right = renderQueryParts(op.query);
      const wrapLeft = op.operator === '^' ? inner.prec <= p : inner.prec < p;
      const wrapRight = op.operator === '^' ? right.prec < p : right.prec <= p;
      const mods = `${op.bool ? ' bool' : ''}${renderMatching(op.matching)}`;
      return { text: `${paren(inner, wrapLeft)} ${op.operator}${mods} ${paren(right, wrapRight)}`, prec: p };
    }
  }
}

function renderQueryParts(q: BuilderQuery): Rendered {
  return q.operations.reduce(applyOperation, { text: renderSelector(q.selector), prec: ATOM });
}

/** Renders a builder query as PromQL. */
export function renderQuery(q: BuilderQuery): string {
  return renderQueryParts(q).text;
}
