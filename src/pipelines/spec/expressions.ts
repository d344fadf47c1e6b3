/**
 * The small expression language inside `${{ … }}`: references (`params.lr`,
 * `steps.train.outputs.model`, `trigger.ref`), literals, comparisons, `&&`, `||`, `!` and
 * parentheses. Parsed into a tree once; evaluated against resolved values, never `eval`ed.
 */
export type Expr =
  | { kind: 'literal'; value: string | number | boolean | null }
  | { kind: 'ref'; path: string[] }
  | { kind: 'not'; operand: Expr }
  | { kind: 'binary'; op: BinaryOp; left: Expr; right: Expr };

export type BinaryOp = '==' | '!=' | '<' | '<=' | '>' | '>=' | '&&' | '||';

export class ExpressionError extends Error {}

type Token = { t: 'num' | 'str' | 'ident' | 'op' | 'lparen' | 'rparen'; v: string };

const OPS = ['==', '!=', '<=', '>=', '&&', '||', '<', '>', '!'];

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === '(' || c === ')') {
      tokens.push({ t: c === '(' ? 'lparen' : 'rparen', v: c });
      i++;
    } else if (c === "'" || c === '"') {
      const end = text.indexOf(c, i + 1);
      if (end < 0) throw new ExpressionError(`unterminated string starting at ${text.slice(i)}`);
      tokens.push({ t: 'str', v: text.slice(i + 1, end) });
      i = end + 1;
    } else if (/[0-9]/.test(c) || (c === '-' && /[0-9]/.test(text[i + 1] ?? ''))) {
      const m = /^-?[0-9]+(\.[0-9]+)?([eE][-+]?[0-9]+)?/.exec(text.slice(i))!;
      tokens.push({ t: 'num', v: m[0] });
      i += m[0].length;
    } else if (/[A-Za-z_]/.test(c)) {
      const m = /^[A-Za-z_][A-Za-z0-9_-]*(\.[A-Za-z_][A-Za-z0-9_-]*)*/.exec(text.slice(i))!;
      tokens.push({ t: 'ident', v: m[0] });
      i += m[0].length;
    } else {
      const op = OPS.find((o) => text.startsWith(o, i));
      if (!op) throw new ExpressionError(`unexpected character '${c}'`);
      tokens.push({ t: 'op', v: op });
      i += op.length;
    }
  }
  return tokens;
}

/** Parses one expression; throws ExpressionError with a readable message. */
export function parseExpression(text: string): Expr {
  const tokens = tokenize(text);
  let pos = 0;
  const peek = (): Token | undefined => tokens[pos];
  const isOp = (...ops: string[]) => peek()?.t === 'op' && ops.includes(peek()!.v);

  const primary = (): Expr => {
    const token = tokens[pos++];
    if (!token) throw new ExpressionError('expression ends too early');
    switch (token.t) {
      case 'num':
        return { kind: 'literal', value: Number(token.v) };
      case 'str':
        return { kind: 'literal', value: token.v };
      case 'lparen': {
        const inner = or();
        if (tokens[pos++]?.t !== 'rparen') throw new ExpressionError('missing )');
        return inner;
      }
      case 'ident':
        if (token.v === 'true' || token.v === 'false')
          return { kind: 'literal', value: token.v === 'true' };
        if (token.v === 'null') return { kind: 'literal', value: null };
        return { kind: 'ref', path: token.v.split('.') };
      default:
        throw new ExpressionError(`unexpected '${token.v}'`);
    }
  };
  const not = (): Expr => {
    if (isOp('!')) {
      pos++;
      return { kind: 'not', operand: not() };
    }
    const left = primary();
    if (isOp('==', '!=', '<', '<=', '>', '>=')) {
      const op = tokens[pos++].v as BinaryOp;
      return { kind: 'binary', op, left, right: primary() };
    }
    return left;
  };
  const and = (): Expr => {
    let left = not();
    while (isOp('&&')) {
      pos++;
      left = { kind: 'binary', op: '&&', left, right: not() };
    }
    return left;
  };
  const or = (): Expr => {
    let left = and();
    while (isOp('||')) {
      pos++;
      left = { kind: 'binary', op: '||', left, right: and() };
    }
    return left;
  };

  if (tokens.length === 0) throw new ExpressionError('empty expression');
  const expr = or();
  if (pos < tokens.length) throw new ExpressionError(`unexpected '${tokens[pos].v}'`);
  return expr;
}

/** Every reference in an expression, for validation and dependency checks. */
export function referencesOf(expr: Expr): string[][] {
  switch (expr.kind) {
    case 'literal':
      return [];
    case 'ref':
      return [expr.path];
    case 'not':
      return referencesOf(expr.operand);
    case 'binary':
      return [...referencesOf(expr.left), ...referencesOf(expr.right)];
  }
}

export type Lookup = (path: string[]) => unknown;

/** JavaScript-like truthiness, except that the strings "false" and "0" are false too. */
export function truthy(value: unknown): boolean {
  if (typeof value === 'string') return value !== '' && value !== 'false' && value !== '0';
  return Boolean(value);
}

function compare(op: BinaryOp, a: unknown, b: unknown): boolean {
  // Outputs of `run` steps arrive as text: compare as numbers when both sides look like one.
  const na = typeof a === 'string' && a.trim() !== '' ? Number(a) : a;
  const nb = typeof b === 'string' && b.trim() !== '' ? Number(b) : b;
  const numeric = typeof na === 'number' && typeof nb === 'number' && !isNaN(na) && !isNaN(nb);
  const [x, y] = numeric ? [na, nb] : [String(a), String(b)];
  switch (op) {
    case '==':
      return x === y;
    case '!=':
      return x !== y;
    case '<':
      return x < y;
    case '<=':
      return x <= y;
    case '>':
      return x > y;
    default:
      return x >= y;
  }
}

export function evaluate(expr: Expr, lookup: Lookup): unknown {
  switch (expr.kind) {
    case 'literal':
      return expr.value;
    case 'ref':
      return lookup(expr.path);
    case 'not':
      return !truthy(evaluate(expr.operand, lookup));
    case 'binary':
      if (expr.op === '&&')
        return truthy(evaluate(expr.left, lookup)) && truthy(evaluate(expr.right, lookup));
      if (expr.op === '||')
        return truthy(evaluate(expr.left, lookup)) || truthy(evaluate(expr.right, lookup));
      return compare(expr.op, evaluate(expr.left, lookup), evaluate(expr.right, lookup));
  }
}
