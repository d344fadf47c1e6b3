import { sql, type Expression, type RawBuilder, type SqlBool } from 'kysely';
import type { Dialect } from '../db/index.js';

/**
 * Turns a LIKE pattern (`%` any run, `_` one character, `\` escapes the next character) into
 * an equivalent SQLite GLOB pattern, whose matching is case-sensitive like PostgreSQL's LIKE.
 */
export function likeToGlob(pattern: string): string {
  let glob = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i];
    if (ch === '\\' && i + 1 < pattern.length) {
      i += 1;
      glob += globLiteral(pattern[i]);
    } else if (ch === '%') glob += '*';
    else if (ch === '_') glob += '?';
    else glob += globLiteral(ch);
  }
  return glob;
}

function globLiteral(ch: string): string {
  return ch === '*' || ch === '?' || ch === '[' ? `[${ch}]` : ch;
}

/**
 * `column LIKE pattern` with the same meaning on both dialects: LIKE is case-sensitive and
 * ILIKE is not (SQLite's own LIKE ignores ASCII case, PostgreSQL's does not, so SQLite gets
 * GLOB for LIKE and both get lower() for ILIKE). The pattern is always a bound parameter.
 */
export function likeCondition(
  dialect: Dialect,
  column: Expression<unknown>,
  pattern: string,
  caseInsensitive: boolean,
): RawBuilder<SqlBool> {
  if (caseInsensitive) return sql<SqlBool>`lower(${column}) like lower(${pattern}) escape '\\'`;
  if (dialect === 'sqlite') return sql<SqlBool>`${column} glob ${likeToGlob(pattern)}`;
  return sql<SqlBool>`${column} like ${pattern} escape '\\'`;
}
