import { InvalidArgumentError } from '../../core/index.js';
import { sqlIdent, sqlString, type SqlRow, type SqlSession } from '../duckdb/index.js';
import { duckMessage } from '../ingest/load-source.js';
import { LARGE_SHIFT_PSI, measureShift } from '../profile/distribution-shift.js';
import type { ColumnSchema, DatasetProfile, ExpectationResult } from '../types.js';
import type { Expectation } from './suite.js';

const SAMPLE_SIZE = 5;

/** What an expectation runs against: an in-memory table with its schema and profile. */
export interface ValidationTarget {
  session: SqlSession;
  table: string;
  schema: ColumnSchema[];
  profile: DatasetProfile;
}

function describeBounds(min?: number, max?: number): string {
  if (min !== undefined && max !== undefined) return `between ${min} and ${max}`;
  return min !== undefined ? `at least ${min}` : `at most ${max}`;
}

const within = (value: number | undefined, min?: number, max?: number): boolean =>
  value !== undefined && (min === undefined || value >= min) && (max === undefined || value <= max);

/** Counts rows where `failing` holds and samples a few of them. */
async function failingRows(
  target: ValidationTarget,
  failing: string,
  label: string,
): Promise<{ count: number; sample: SqlRow[] }> {
  try {
    const [row] = await target.session.all(
      `select count(*) AS n from ${target.table} where ${failing}`,
    );
    const count = Number(row.n);
    const sample =
      count > 0
        ? await target.session.all(
            `select * from ${target.table} where ${failing} limit ${SAMPLE_SIZE}`,
          )
        : [];
    return { count, sample };
  } catch (error) {
    throw new InvalidArgumentError(`${label}: ${duckMessage(error)}`, { expectation: label });
  }
}

/** Runs one suite expectation. `label` names it in errors, e.g. `expectations[2] (regex)`. */
export async function runExpectation(
  target: ValidationTarget,
  e: Expectation,
  label: string,
): Promise<ExpectationResult> {
  const result = (passed: boolean, observed: unknown, message: string, sample?: SqlRow[]) => ({
    expectation: e.expect,
    ...('column' in e ? { column: e.column } : {}),
    severity: e.severity,
    passed,
    observed,
    expected: Object.fromEntries(
      Object.entries(e).filter(([k]) => !['expect', 'column', 'severity'].includes(k)),
    ),
    message,
    ...(sample && sample.length > 0 ? { failingSample: sample } : {}),
  });
  if (e.expect === 'row_count') {
    const n = target.profile.rowCount;
    return result(
      within(n, e.min, e.max),
      n,
      `row count ${n}, expected ${describeBounds(e.min, e.max)}`,
    );
  }
  if (e.expect === 'sql') {
    const { count, sample } = await failingRows(
      target,
      `not coalesce((${e.predicate})::BOOLEAN, false)`,
      label,
    );
    const fraction = target.profile.rowCount > 0 ? count / target.profile.rowCount : 0;
    return result(
      fraction <= e.max_failing_fraction,
      { failingRows: count, failingFraction: fraction },
      `${count} rows fail \`${e.predicate}\` (fraction ${fraction.toFixed(4)}, allowed ${e.max_failing_fraction})`,
      sample,
    );
  }
  const schema = target.schema.find((c) => c.name === e.column);
  const profile = target.profile.columns.find((c) => c.name === e.column);
  if (!schema || !profile) {
    return result(false, null, `column ${e.column} does not exist`);
  }
  const col = sqlIdent(e.column);
  switch (e.expect) {
    case 'exists':
      return result(true, true, `column ${e.column} exists`);
    case 'type':
      return result(
        schema.logicalType === e.type,
        schema.logicalType,
        `column ${e.column} is ${schema.logicalType}, expected ${e.type}`,
      );
    case 'not_null': {
      const { count, sample } = await failingRows(target, `${col} is null`, label);
      return result(count === 0, count, `column ${e.column} has ${count} nulls`, sample);
    }
    case 'max_null_fraction':
      return result(
        profile.nullFraction <= e.max,
        profile.nullFraction,
        `column ${e.column} null fraction ${profile.nullFraction.toFixed(4)}, allowed ${e.max}`,
      );
    case 'range': {
      const conditions = [
        ...(e.min !== undefined ? [`${col} < ${e.min}`] : []),
        ...(e.max !== undefined ? [`${col} > ${e.max}`] : []),
      ];
      const { count, sample } = await failingRows(target, conditions.join(' or '), label);
      return result(
        count === 0,
        { min: profile.min ?? null, max: profile.max ?? null, outOfRange: count },
        `column ${e.column}: ${count} values outside ${describeBounds(e.min, e.max)}`,
        sample,
      );
    }
    case 'allowed_values': {
      const list = e.values.map((v) => sqlString(String(v))).join(', ');
      const { count, sample } = await failingRows(
        target,
        `${col} is not null and ${col}::VARCHAR not in (${list})`,
        label,
      );
      return result(count === 0, count, `column ${e.column}: ${count} values not allowed`, sample);
    }
    case 'regex': {
      const { count, sample } = await failingRows(
        target,
        `${col} is not null and not regexp_matches(${col}::VARCHAR, ${sqlString(e.pattern)})`,
        label,
      );
      return result(
        count === 0,
        count,
        `column ${e.column}: ${count} values do not match ${e.pattern}`,
        sample,
      );
    }
    case 'unique': {
      const [row] = await target.session.all(
        `select count(${col}) - count(distinct ${col}) AS dup from ${target.table}`,
      );
      const duplicates = Number(row.dup);
      const sample =
        duplicates > 0
          ? await target.session.all(
              `select * from ${target.table} where ${col} in (select ${col} from ${target.table} group by ${col} having count(*) > 1) limit ${SAMPLE_SIZE}`,
            )
          : [];
      return result(
        duplicates === 0,
        duplicates,
        `column ${e.column} has ${duplicates} duplicate values`,
        sample,
      );
    }
    case 'mean':
      return result(
        within(profile.mean, e.min, e.max),
        profile.mean ?? null,
        `column ${e.column} mean ${profile.mean ?? 'n/a'}, expected ${describeBounds(e.min, e.max)}`,
      );
  }
}

/**
 * Checks against the previous version: removed or retyped columns are errors (downstream
 * code reads them), added columns and large distribution shifts (PSI > 0.2) are warnings.
 */
export async function compareWithPrevious(
  target: ValidationTarget,
  previous: { version: number; schema: ColumnSchema[]; profile: DatasetProfile },
): Promise<ExpectationResult[]> {
  const results: ExpectationResult[] = [];
  const now = new Map(target.schema.map((c) => [c.name, c]));
  const before = new Map(previous.schema.map((c) => [c.name, c]));
  const against = `version ${previous.version}`;
  for (const [name, old] of before) {
    const current = now.get(name);
    if (!current) {
      results.push({
        expectation: 'schema.removed_column',
        column: name,
        severity: 'error',
        passed: false,
        observed: null,
        expected: old.logicalType,
        message: `column ${name} was removed since ${against}`,
      });
    } else if (current.logicalType !== old.logicalType) {
      results.push({
        expectation: 'schema.retyped_column',
        column: name,
        severity: 'error',
        passed: false,
        observed: current.logicalType,
        expected: old.logicalType,
        message: `column ${name} changed type from ${old.logicalType} to ${current.logicalType} since ${against}`,
      });
    }
  }
  for (const [name, current] of now) {
    if (!before.has(name)) {
      results.push({
        expectation: 'schema.added_column',
        column: name,
        severity: 'warn',
        passed: false,
        observed: current.logicalType,
        message: `column ${name} was added since ${against}`,
      });
    }
  }
  const shared = target.schema.filter((c) => before.get(c.name)?.logicalType === c.logicalType);
  for (const shift of await measureShift(target.session, target.table, shared, previous.profile)) {
    const large = shift.psi > LARGE_SHIFT_PSI;
    results.push({
      expectation: 'distribution.shift',
      column: shift.column,
      severity: 'warn',
      passed: !large,
      observed: { psi: shift.psi, basis: shift.basis },
      expected: { maxPsi: LARGE_SHIFT_PSI },
      message: `column ${shift.column} PSI ${shift.psi.toFixed(3)} against ${against}${large ? ' (large shift)' : ''}`,
    });
  }
  return results;
}
