import { BinaryOperator, BuilderQuery, LabelFilter, MatchOp, Operation, Selector } from './model';
import {
  AGGREGATION_BY_NAME,
  definitionLabel,
  FUNCTION_BY_NAME,
  fillTemplate,
  isComparison,
  RANGE_FUNCTION_BY_NAME,
  SET_OPERATORS,
} from './operations';
import { applyOperation, renderSelector } from './render';

/** One part of a query for Explain: its PromQL, a title and a plain sentence; children are its inputs. */
export interface ExplainNode {
  title: string;
  promql: string;
  sentence: string;
  children: ExplainNode[];
}

const MATCH_WORDS: Record<MatchOp, string> = {
  '=': 'is',
  '!=': 'is not',
  '=~': 'matches',
  '!~': 'does not match',
};

const ARITHMETIC_WORDS: Partial<Record<BinaryOperator, string>> = {
  '+': 'plus',
  '-': 'minus',
  '*': 'multiplied by',
  '/': 'divided by',
  '%': 'modulo',
  '^': 'raised to the power of',
};

function filterSentence(f: LabelFilter): string {
  return `${f.label} ${MATCH_WORDS[f.op]} "${f.value}"`;
}

/** "fixture_up where job is "api"", or "all series where ..." without a metric. */
function selectorSentence(s: Selector): string {
  const what = s.metric ? s.metric : 'all series';
  const filters = s.labels.filter((f) => f.label !== '');
  return filters.length ? `${what} where ${filters.map(filterSentence).join(' and ')}` : what;
}

function list(labels: string[]): string {
  return labels.join(', ');
}

function argValues(names: string[], values: string[]): Record<string, string> {
  return Object.fromEntries(names.map((n, i) => [n, values[i] ?? '']));
}

/** The plain phrase for one operation. */
function operationSentence(op: Operation): string {
  switch (op.kind) {
    case 'range': {
      const def = RANGE_FUNCTION_BY_NAME.get(op.fn);
      const names = [...(def?.before ?? []), ...(def?.after ?? [])].map((a) => a.name);
      return fillTemplate(def?.explain ?? op.fn, { range: op.range, ...argValues(names, op.args) });
    }
    case 'function': {
      const def = FUNCTION_BY_NAME.get(op.fn);
      const text = fillTemplate(def?.explain ?? op.fn, argValues(def?.args.map((a) => a.name) ?? [], op.args));
      return op.fn === 'round' && op.args.length === 0 ? 'rounded to the nearest integer' : text;
    }
    case 'aggregation': {
      const def = AGGREGATION_BY_NAME.get(op.op);
      const name = def?.param?.name ?? '';
      const base = fillTemplate(def?.explain ?? op.op, { [name]: op.param ?? '' });
      if (op.grouping?.mode === 'by') {
        return op.grouping.labels.length ? `${base} by ${list(op.grouping.labels)}` : `${base} across all series`;
      }
      if (op.grouping?.mode === 'without') {
        return `${base} by every label except ${list(op.grouping.labels)}`;
      }
      return def?.param ? base : `${base} across all series`;
    }
    case 'scalar':
      return scalarSentence(op.operator, op.value, Boolean(op.bool), Boolean(op.scalarFirst));
    case 'binary':
      return binarySentence(op);
  }
}

function scalarSentence(operator: BinaryOperator, value: string, bool: boolean, scalarFirst: boolean): string {
  if (isComparison(operator)) {
    const condition = scalarFirst ? `${value} ${operator} the value` : `the value ${operator} ${value}`;
    return bool ? `1 where ${condition}, otherwise 0` : `only values where ${condition}`;
  }
  if (scalarFirst && operator !== '+' && operator !== '*') {
    return operator === '-' ? `subtracted from ${value}` : `${value} ${ARITHMETIC_WORDS[operator]} the value`;
  }
  return `${ARITHMETIC_WORDS[operator]} ${value}`;
}

function binarySentence(op: Extract<Operation, { kind: 'binary' }>): string {
  const right = summarize(op.query);
  let text: string;
  if (op.operator === 'and') {
    text = `only series that also exist in (${right})`;
  } else if (op.operator === 'or') {
    text = `together with the series of (${right}) that have no match`;
  } else if (op.operator === 'unless') {
    text = `without the series that exist in (${right})`;
  } else if (isComparison(op.operator)) {
    text = op.bool ? `1 where the value ${op.operator} (${right}), otherwise 0` : `only values ${op.operator} (${right})`;
  } else {
    text = `${ARITHMETIC_WORDS[op.operator]} (${right})`;
  }
  const m = op.matching;
  if (m?.card === 'on') {
    text += m.labels.length ? `, matching series on ${list(m.labels)}` : ', matching every series with every series';
  } else if (m?.card === 'ignoring') {
    text += `, matching series on all labels except ${list(m.labels)}`;
  }
  if (m?.group && !SET_OPERATORS.includes(op.operator)) {
    const many = m.group === 'left' ? 'many-to-one' : 'one-to-many';
    text += m.include.length ? `, ${many} copying ${list(m.include)} from the other side` : `, ${many}`;
  }
  return text;
}

/** One sentence for a whole query: the selection, then each operation in order. */
export function summarize(q: BuilderQuery): string {
  const steps = q.operations.map(operationSentence);
  return steps.length ? `${selectorSentence(q.selector)}: ${steps.join(', then ')}` : selectorSentence(q.selector);
}

function title(op: Operation): string {
  switch (op.kind) {
    case 'scalar':
      return `${op.operator} ${op.value}`;
    case 'binary':
      return `${op.operator} query`;
    default:
      return definitionLabel(op);
  }
}

/** The query as a tree: the outermost operation at the root, its inputs below it, the metric selection at the leaves. */
export function explainTree(q: BuilderQuery): ExplainNode {
  let node: ExplainNode = {
    title: 'Metric',
    promql: renderSelector(q.selector),
    sentence: selectorSentence(q.selector),
    children: [],
  };
  let rendered = { text: node.promql, prec: Number.POSITIVE_INFINITY };
  for (const op of q.operations) {
    rendered = applyOperation(rendered, op);
    const children = [node];
    if (op.kind === 'binary') {
      children.push(explainTree(op.query));
    }
    node = { title: title(op), promql: rendered.text, sentence: operationSentence(op), children };
  }
  return node;
}
