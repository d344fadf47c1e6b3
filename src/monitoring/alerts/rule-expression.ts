// The condition of an alert rule: one or more comparisons over a window's result, joined by
// `and`, e.g. `drift_share >= 0.5`, `realized.rmse > 0.6 and labelled_rows >= 100`,
// `feature.median_income.drifted`. Parsed once; never evaluated as code.
import type { MonitorResult } from '../monitors/monitor-types.js';

export type Comparison = '>=' | '<=' | '>' | '<' | '==' | '!=';

export interface RuleTerm {
  path: string;
  op?: Comparison;
  value?: number | boolean;
}

const TERM =
  /^([A-Za-z_][\w.:/@-]*)\s*(?:(>=|<=|==|!=|>|<)\s*(true|false|-?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?))?$/i;
const TOP_LEVEL = new Set([
  'drift_share',
  'dataset_drift',
  'rows',
  'labelled_rows',
  'drifted_features',
  'schema_violations',
  'cost_per_1k_usd',
  'cpu_seconds_per_1k',
  'memory_bytes_per_1k',
]);

/** Parses `a >= 1 and b` into terms; throws an Error saying what is wrong. */
export function parseRuleExpression(text: string): RuleTerm[] {
  const parts = text.trim().split(/\s+and\s+/i);
  return parts.map((part) => {
    const m = TERM.exec(part.trim());
    if (!m)
      throw new Error(
        `cannot read "${part}": write <value> <op> <number>, e.g. drift_share >= 0.5, or a flag such as feature.income.drifted`,
      );
    const [, path, op, literal] = m;
    checkPath(path);
    if (!op) return { path };
    const value =
      literal.toLowerCase() === 'true'
        ? true
        : literal.toLowerCase() === 'false'
          ? false
          : Number(literal);
    return { path, op: op as Comparison, value };
  });
}

function checkPath(path: string): void {
  if (TOP_LEVEL.has(path)) return;
  const [head, ...rest] = path.split('.');
  if (head === 'realized' && rest.length === 1) return;
  if (head === 'prediction' && rest.length === 1 && ['drifted', 'score'].includes(rest[0])) return;
  if (head === 'feature' && rest.length >= 2 && ['drifted', 'score'].includes(rest.at(-1)!)) return;
  if (
    head === 'quality' &&
    rest.length >= 2 &&
    ['null_rate', 'out_of_range', 'unseen'].includes(rest.at(-1)!)
  )
    return;
  throw new Error(
    `unknown value ${path}: use ${[...TOP_LEVEL].join(', ')}, realized.<metric>, feature.<name>.drifted|score, prediction.drifted|score or quality.<column>.null_rate|out_of_range|unseen`,
  );
}

/** What a path reads in a window's result; null when the window has no such value. */
export function valueOf(result: MonitorResult, path: string): number | boolean | null {
  switch (path) {
    case 'drift_share':
      return result.driftShare;
    case 'dataset_drift':
      return result.datasetDrift;
    case 'rows':
      return result.rows;
    case 'labelled_rows':
      return result.realized.labelledRows;
    case 'drifted_features':
      return result.features.filter((f) => f.drifted).length;
    case 'schema_violations': {
      const s = result.quality.schema;
      return s.missing.length + s.extra.length + s.wrongType.length;
    }
    case 'cost_per_1k_usd':
      return result.resources?.costPer1kUsd ?? null;
    case 'cpu_seconds_per_1k':
      return result.resources?.cpuSecondsPer1k ?? null;
    case 'memory_bytes_per_1k':
      return result.resources?.memoryBytesPer1k ?? null;
  }
  const [head, ...rest] = path.split('.');
  const attr = rest.at(-1)!;
  const name = rest.slice(0, -1).join('.');
  if (head === 'realized') return result.realized.metrics[rest[0]] ?? null;
  if (head === 'prediction') {
    if (!result.prediction) return null;
    return attr === 'drifted' ? result.prediction.drifted : result.prediction.score;
  }
  if (head === 'feature') {
    const f = result.features.find((x) => x.feature === name);
    if (!f) return null;
    return attr === 'drifted' ? f.drifted : f.score;
  }
  if (head === 'quality') {
    const q = result.quality.columns.find((c) => c.column === name);
    if (!q) return null;
    if (attr === 'null_rate') return q.nullRate;
    if (attr === 'out_of_range') return q.outOfRange?.share ?? null;
    return q.unseenCategories?.share ?? null;
  }
  return null;
}

function compare(left: number | boolean, op: Comparison, right: number | boolean): boolean {
  const a = Number(left);
  const b = Number(right);
  switch (op) {
    case '>=':
      return a >= b;
    case '<=':
      return a <= b;
    case '>':
      return a > b;
    case '<':
      return a < b;
    case '==':
      return a === b;
    case '!=':
      return a !== b;
  }
}

/**
 * Whether the rule holds for a window, and the value of its first term (the evidence shown).
 * A value the window lacks (no labels yet, say) makes the term false.
 */
export function evaluateRule(
  terms: RuleTerm[],
  result: MonitorResult,
): { held: boolean; value: number | boolean | null } {
  let held = true;
  let first: number | boolean | null = null;
  terms.forEach((term, i) => {
    const value = valueOf(result, term.path);
    if (i === 0) first = value;
    if (value === null) held = false;
    else if (term.op === undefined)
      held &&= value === true || (typeof value === 'number' && value !== 0);
    else held &&= compare(value, term.op, term.value!);
  });
  return { held, value: first };
}
