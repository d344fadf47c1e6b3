import { InvalidArgumentError } from '../core/index.js';

export type TokenType =
  'identifier' | 'string' | 'number' | 'operator' | 'keyword' | 'lparen' | 'rparen' | 'comma';

/** One lexical token of a filter; `text` is the source as written, for error messages. */
export interface Token {
  type: TokenType;
  /** For identifiers: the prefix as written (e.g. `metrics`), or '' for a bare name. */
  prefix?: string;
  /** Identifier key, string value (unescaped), keyword (upper-cased) or operator. */
  value: string;
  text: string;
  position: number;
}

const KEYWORDS = new Set(['AND', 'OR', 'LIKE', 'ILIKE', 'IN', 'NOT', 'IS', 'NULL']);
const OPERATORS = ['!=', '<>', '<=', '>=', '=', '<', '>'];
const WORD = /[A-Za-z_][\w]*/y;
// Unquoted keys may hold what MLflow keys hold except spaces and quotes.
const UNQUOTED_KEY = /[\w.\-/]+/y;
const NUMBER = /[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?/y;

export function filterError(filter: string, message: string, token?: string): never {
  throw new InvalidArgumentError(`invalid filter ${JSON.stringify(filter)}: ${message}`, {
    field: 'filter',
    ...(token === undefined ? {} : { token }),
  });
}

/**
 * Reads a quoted run starting at `start` (the opening quote). A doubled quote inside stands
 * for one quote character, as in SQL, so `'a'' OR 1=1 --'` is the single value `a' OR 1=1 --`.
 */
function readQuoted(filter: string, start: number): { value: string; end: number } {
  const quote = filter[start];
  let value = '';
  let i = start + 1;
  for (;;) {
    if (i >= filter.length)
      filterError(filter, `unterminated ${quote} quote at position ${start}`, filter.slice(start));
    const ch = filter[i];
    if (ch === quote) {
      if (filter[i + 1] === quote) {
        value += quote;
        i += 2;
        continue;
      }
      return { value, end: i + 1 };
    }
    // MLflow clients also escape quotes with a backslash inside string literals.
    if (ch === '\\' && (filter[i + 1] === quote || filter[i + 1] === '\\')) {
      value += filter[i + 1];
      i += 2;
      continue;
    }
    value += ch;
    i += 1;
  }
}

function matchAt(re: RegExp, text: string, at: number): string | undefined {
  re.lastIndex = at;
  return re.exec(text)?.[0];
}

/** Splits an MLflow search filter into tokens; never evaluates anything. */
export function tokenizeFilter(filter: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < filter.length) {
    const ch = filter[i];
    if (/\s/.test(ch)) {
      i += 1;
      continue;
    }
    const start = i;
    if (ch === '(' || ch === ')' || ch === ',') {
      tokens.push({
        type: ch === '(' ? 'lparen' : ch === ')' ? 'rparen' : 'comma',
        value: ch,
        text: ch,
        position: start,
      });
      i += 1;
      continue;
    }
    const op = OPERATORS.find((o) => filter.startsWith(o, i));
    if (op) {
      tokens.push({ type: 'operator', value: op === '<>' ? '!=' : op, text: op, position: start });
      i += op.length;
      continue;
    }
    if (ch === "'" || ch === '"') {
      const { value, end } = readQuoted(filter, i);
      tokens.push({ type: 'string', value, text: filter.slice(start, end), position: start });
      i = end;
      continue;
    }
    if (ch === '`') {
      // A whole identifier in backticks (`start_time`) is a bare attribute name.
      const { value, end } = readQuoted(filter, i);
      tokens.push({
        type: 'identifier',
        prefix: '',
        value,
        text: filter.slice(start, end),
        position: start,
      });
      i = end;
      continue;
    }
    const number = matchAt(NUMBER, filter, i);
    if (number && !/[A-Za-z_]/.test(filter[i + number.length] ?? '')) {
      tokens.push({ type: 'number', value: number, text: number, position: start });
      i += number.length;
      continue;
    }
    const word = matchAt(WORD, filter, i);
    if (!word)
      filterError(filter, `unexpected character ${JSON.stringify(ch)} at position ${i}`, ch);
    i += word.length;
    if (filter[i] === '.') {
      i += 1;
      let key: string;
      if (filter[i] === '`' || filter[i] === '"') {
        const quoted = readQuoted(filter, i);
        key = quoted.value;
        i = quoted.end;
      } else {
        key = matchAt(UNQUOTED_KEY, filter, i) ?? '';
        if (!key) filterError(filter, `missing key after "${word}." at position ${start}`, word);
        i += key.length;
      }
      tokens.push({
        type: 'identifier',
        prefix: word,
        value: key,
        text: filter.slice(start, i),
        position: start,
      });
      continue;
    }
    const upper = word.toUpperCase();
    if (KEYWORDS.has(upper)) {
      tokens.push({ type: 'keyword', value: upper, text: word, position: start });
    } else {
      tokens.push({ type: 'identifier', prefix: '', value: word, text: word, position: start });
    }
  }
  return tokens;
}
