import type { SyntaxNode } from '@lezer/common';
import { parser } from '@prometheus-io/lezer-promql';

import {
  BinaryOperator,
  BuilderQuery,
  emptyQuery,
  Grouping,
  LabelFilter,
  MatchOp,
  Operation,
  ParseResult,
  Selector,
  VectorMatching,
} from './model';
import { maskVariables } from '../promql/variables';

import { AGGREGATION_BY_NAME, FUNCTION_BY_NAME, isComparison, RANGE_FUNCTION_BY_NAME } from './operations';
import { isPlainName } from './render';
import { unquote } from './strings';

/** Thrown inside the reader with the one-line reason the builder cannot show a query. */
class Unsupported extends Error {}

const BINARY_TOKENS: Record<string, BinaryOperator> = {
  Pow: '^',
  Mul: '*',
  Div: '/',
  Mod: '%',
  Add: '+',
  Sub: '-',
  Eql: '==',
  Neq: '!=',
  Gtr: '>',
  Lss: '<',
  Gte: '>=',
  Lte: '<=',
  And: 'and',
  Or: 'or',
  Unless: 'unless',
};

const MATCH_TOKENS: Record<string, MatchOp> = { EqlSingle: '=', Neq: '!=', EqlRegex: '=~', NeqRegex: '!~' };

const CODE_ONLY: Record<string, string> = {
  SubqueryExpr: 'subqueries ([range:step]) are only available in Code mode',
  OffsetExpr: 'offset modifiers are only available in Code mode',
  StepInvariantExpr: 'the @ modifier is only available in Code mode',
  AnchoredExpr: 'anchored ranges are only available in Code mode',
  SmoothedExpr: 'smoothed ranges are only available in Code mode',
  UnaryExpr: 'a negated expression (-x) is only available in Code mode',
  StringLiteral: 'a query that is only a string cannot be built',
  MatrixSelector: 'a range vector needs a range function (such as rate) in the builder',
};

function children(node: SyntaxNode): SyntaxNode[] {
  const out: SyntaxNode[] = [];
  for (let c = node.firstChild; c; c = c.nextSibling) {
    out.push(c);
  }
  return out;
}

function child(node: SyntaxNode, name: string): SyntaxNode | null {
  return node.getChild(name);
}

/** Reads PromQL into the builder model, or says in one line why the builder cannot represent it. */
export function parsePromQL(expr: string): ParseResult {
  if (expr.trim() === '') {
    return { ok: true, query: emptyQuery() };
  }
  // Variables are masked with same-length PromQL, so every node's text is read from `expr` at the same place.
  const masked = maskVariables(expr);
  const tree = parser.parse(masked.text);
  let error: number | undefined;
  tree.iterate({
    enter: (n) => {
      if (n.type.isError && error === undefined) {
        error = n.from;
      }
    },
  });
  if (error !== undefined) {
    return { ok: false, reason: `the query does not parse (near character ${error + 1}); fix it in Code mode` };
  }
  const top = tree.topNode.firstChild;
  if (!top) {
    return { ok: false, reason: 'the query is empty' };
  }
  try {
    const variables = new Set(masked.refs.map((r) => `${r.from}:${r.to}`));
    return { ok: true, query: new Reader(expr, variables).query(top) };
  } catch (err) {
    if (err instanceof Unsupported) {
      return { ok: false, reason: err.message };
    }
    throw err;
  }
}

class Reader {
  /** `variables` holds the `from:to` span of every masked Grafana variable. */
  constructor(
    private readonly expr: string,
    private readonly variables: Set<string>
  ) {}

  private text(node: SyntaxNode): string {
    return this.expr.slice(node.from, node.to);
  }

  /** Whether the node is exactly one Grafana variable. */
  private isVariable(node: SyntaxNode): boolean {
    return this.variables.has(`${node.from}:${node.to}`);
  }

  query(node: SyntaxNode): BuilderQuery {
    switch (node.name) {
      case 'VectorSelector':
        return { selector: this.selector(node), operations: [] };
      case 'ParenExpr':
        return this.query(this.only(node));
      case 'FunctionCall':
        return this.functionCall(node);
      case 'AggregateExpr':
        return this.aggregation(node);
      case 'BinaryExpr':
        return this.binary(node);
      case 'NumberDurationLiteral':
        throw new Unsupported('a query that is only a number cannot be built');
    }
    throw new Unsupported(CODE_ONLY[node.name] ?? `${node.name} is only available in Code mode`);
  }

  private only(node: SyntaxNode): SyntaxNode {
    const c = node.firstChild;
    if (!c) {
      throw new Unsupported('empty parentheses');
    }
    return c;
  }

  private selector(node: SyntaxNode): Selector {
    const out: Selector = { metric: '', labels: [] };
    const id = child(node, 'Identifier');
    if (id) {
      out.metric = this.text(id);
    }
    const matchers = child(node, 'LabelMatchers');
    for (const m of matchers ? children(matchers) : []) {
      const filter = this.matcher(m);
      if (filter === undefined) {
        continue;
      }
      if ('metric' in filter) {
        out.metric = filter.metric;
      } else if (filter.label === '__name__' && filter.op === '=' && !out.metric && /^[a-zA-Z_:][\w:]*$/.test(filter.value)) {
        out.metric = filter.value;
      } else {
        out.labels.push(filter);
      }
    }
    // The builder writes the metric name unquoted, so a name that needs quotes stays in Code.
    if (out.metric && !isPlainName(out.metric)) {
      throw new Unsupported(`the metric name "${out.metric}" needs quoting, which only Code mode supports`);
    }
    return out;
  }

  private matcher(node: SyntaxNode): LabelFilter | { metric: string } | undefined {
    if (node.name === 'QuotedLabelName') {
      return { metric: unquote(this.text(child(node, 'StringLiteral')!)) };
    }
    if (node.name !== 'UnquotedLabelMatcher' && node.name !== 'QuotedLabelMatcher') {
      return undefined;
    }
    const nameNode = child(node, 'LabelName') ?? child(node, 'QuotedLabelName')?.getChild('StringLiteral');
    const opNode = child(node, 'MatchOp')?.firstChild;
    const valueNode = node.getChildren('StringLiteral').pop();
    if (!nameNode || !opNode || !valueNode) {
      throw new Unsupported('a label matcher is incomplete');
    }
    const label = nameNode.name === 'StringLiteral' ? unquote(this.text(nameNode)) : this.text(nameNode);
    return { label, op: MATCH_TOKENS[opNode.name], value: unquote(this.text(valueNode)) };
  }

  /** A number (or a variable standing for one) used as a parameter. */
  private scalar(node: SyntaxNode | undefined, what: string): string {
    if (node?.name === 'NumberDurationLiteral') {
      return this.text(node);
    }
    if (node?.name === 'VectorSelector' && !child(node, 'LabelMatchers')) {
      const id = child(node, 'Identifier');
      if (id && this.isVariable(id)) {
        return this.text(id);
      }
    }
    if (node?.name === 'ParenExpr') {
      return this.scalar(node.firstChild ?? undefined, what);
    }
    if (node?.name === 'UnaryExpr' && node.lastChild?.name === 'NumberDurationLiteral') {
      return this.text(node).replace(/\s+/g, '');
    }
    throw new Unsupported(`${what} must be a number or a variable in the builder`);
  }

  private string(node: SyntaxNode | undefined, what: string): string {
    if (node?.name !== 'StringLiteral') {
      throw new Unsupported(`${what} must be a string`);
    }
    return unquote(this.text(node));
  }

  private args(node: SyntaxNode): SyntaxNode[] {
    const body = child(node, 'FunctionCallBody');
    return body ? children(body) : [];
  }

  private functionCall(node: SyntaxNode): BuilderQuery {
    const name = this.text(child(node, 'FunctionIdentifier')!);
    const args = this.args(node);
    const range = RANGE_FUNCTION_BY_NAME.get(name);
    if (range) {
      const at = range.before.length;
      if (args.length !== at + 1 + range.after.length) {
        throw new Unsupported(`${name} takes ${at + 1 + range.after.length} arguments`);
      }
      const matrix = args[at];
      if (matrix.name !== 'MatrixSelector') {
        throw new Unsupported(
          CODE_ONLY[matrix.name] ?? `${name} over anything but a metric selector with a range is only available in Code mode`
        );
      }
      const vector = child(matrix, 'VectorSelector');
      const duration = children(matrix).filter((c) => c.name !== 'VectorSelector');
      if (!vector || duration.length !== 1) {
        throw new Unsupported(`the range of ${name} is not a plain duration`);
      }
      const extra = [...args.slice(0, at), ...args.slice(at + 1)].map((a) => this.scalar(a, `an argument of ${name}`));
      const op: Operation = { kind: 'range', fn: name, range: this.text(duration[0]), args: extra };
      return { selector: this.selector(vector), operations: [op] };
    }
    const def = FUNCTION_BY_NAME.get(name);
    if (!def) {
      throw new Unsupported(`the function ${name} is only available in Code mode`);
    }
    const required = def.args.filter((a) => !a.optional).length;
    if (args.length < required + 1 || args.length > def.args.length + 1) {
      throw new Unsupported(`${name} takes ${def.args.length + 1} arguments`);
    }
    const inner = this.query(args[def.vectorIndex]);
    const rest = args.filter((_, i) => i !== def.vectorIndex);
    const values = rest.map((a, i) =>
      def.args[i].type === 'string' ? this.string(a, `${def.args[i].name} of ${name}`) : this.scalar(a, `${def.args[i].name} of ${name}`)
    );
    return { ...inner, operations: [...inner.operations, { kind: 'function', fn: name, args: values }] };
  }

  private labels(node: SyntaxNode | null): string[] {
    return node ? children(node).map((n) => (n.name === 'QuotedLabelName' ? unquote(this.text(n.firstChild!)) : this.text(n))) : [];
  }

  private aggregation(node: SyntaxNode): BuilderQuery {
    const name = this.text(child(node, 'AggregateOp')!);
    const def = AGGREGATION_BY_NAME.get(name);
    if (!def) {
      throw new Unsupported(`the aggregation ${name} is only available in Code mode`);
    }
    const modifier = child(node, 'AggregateModifier');
    let grouping: Grouping | undefined;
    if (modifier) {
      grouping = { mode: child(modifier, 'By') ? 'by' : 'without', labels: this.labels(child(modifier, 'GroupingLabels')) };
    }
    const args = this.args(node);
    if (args.length !== (def.param ? 2 : 1)) {
      throw new Unsupported(`${name} takes ${def.param ? 2 : 1} arguments`);
    }
    const inner = this.query(args[args.length - 1]);
    const op: Operation = { kind: 'aggregation', op: name };
    if (def.param) {
      op.param = def.param.type === 'string' ? this.string(args[0], `the label of ${name}`) : this.scalar(args[0], `the parameter of ${name}`);
    }
    if (grouping) {
      op.grouping = grouping;
    }
    return { ...inner, operations: [...inner.operations, op] };
  }

  private isScalar(node: SyntaxNode): boolean {
    try {
      this.scalar(node, '');
      return true;
    } catch {
      return false;
    }
  }

  private binary(node: SyntaxNode): BuilderQuery {
    const parts = children(node);
    const opNode = parts.find((p) => p.name in BINARY_TOKENS);
    if (!opNode) {
      throw new Unsupported(`the operator ${this.text(parts[1] ?? node)} is only available in Code mode`);
    }
    const operator = BINARY_TOKENS[opNode.name];
    const [lhs, rhs] = [parts[0], parts[parts.length - 1]];
    const bool = parts.some((p) => p.name === 'BoolModifier');
    const clause = parts.find((p) => p.name === 'MatchingModifierClause');
    const [leftScalar, rightScalar] = [this.isScalar(lhs), this.isScalar(rhs)];
    if (leftScalar && rightScalar) {
      throw new Unsupported('an operation between two numbers cannot be built');
    }
    if (leftScalar || rightScalar) {
      if (clause) {
        throw new Unsupported('on/ignoring with a number is only available in Code mode');
      }
      const inner = this.query(leftScalar ? rhs : lhs);
      const op: Operation = { kind: 'scalar', operator, value: this.scalar(leftScalar ? lhs : rhs, 'the number') };
      if (bool) {
        op.bool = true;
      }
      if (leftScalar) {
        op.scalarFirst = true;
      }
      return { ...inner, operations: [...inner.operations, op] };
    }
    const inner = this.query(lhs);
    const op: Operation = { kind: 'binary', operator, query: this.query(rhs) };
    if (bool) {
      if (!isComparison(operator)) {
        throw new Unsupported('bool only goes with comparisons');
      }
      op.bool = true;
    }
    if (clause) {
      op.matching = this.matching(clause);
    }
    return { ...inner, operations: [...inner.operations, op] };
  }

  private matching(clause: SyntaxNode): VectorMatching {
    const m: VectorMatching = { labels: [], include: [] };
    const parts = children(clause);
    parts.forEach((p, i) => {
      const next = parts[i + 1]?.name === 'GroupingLabels' ? parts[i + 1] : null;
      if (p.name === 'On' || p.name === 'Ignoring') {
        m.card = p.name === 'On' ? 'on' : 'ignoring';
        m.labels = this.labels(next);
      } else if (p.name === 'GroupLeft' || p.name === 'GroupRight') {
        m.group = p.name === 'GroupLeft' ? 'left' : 'right';
        m.include = this.labels(next);
      }
    });
    return m;
  }
}
