import { evaluate, parseExpression, referencesOf, type Expr, type Lookup } from './expressions.js';

/** A string with `${{ … }}` parts: literal text and parsed expressions, in order. */
export type Template = (string | Expr)[];

const OPEN = '${{';
const CLOSE = '}}';

/** Splits a string into text and expressions; throws ExpressionError on a bad part. */
export function parseTemplate(text: string): Template {
  const parts: Template = [];
  let at = 0;
  for (;;) {
    const open = text.indexOf(OPEN, at);
    if (open < 0) break;
    const close = text.indexOf(CLOSE, open + OPEN.length);
    if (close < 0) throw new TemplateError(`"${text}" opens \${{ without closing }}`);
    if (open > at) parts.push(text.slice(at, open));
    const inner = text.slice(open + OPEN.length, close);
    try {
      parts.push(parseExpression(inner));
    } catch (error) {
      throw new TemplateError(`\${{${inner}}}: ${(error as Error).message}`);
    }
    at = close + CLOSE.length;
  }
  if (at < text.length) parts.push(text.slice(at));
  return parts;
}

export class TemplateError extends Error {}

export const hasTemplate = (text: string): boolean => text.includes(OPEN);

/** The single expression a string consists of, if it is exactly `${{ … }}`. */
export function wholeExpression(template: Template): Expr | undefined {
  return template.length === 1 && typeof template[0] !== 'string' ? template[0] : undefined;
}

/** Every reference in every template of a (nested) value. */
export function referencesIn(value: unknown): string[][] {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return [];
    return parseTemplate(value).flatMap((p) => (typeof p === 'string' ? [] : referencesOf(p)));
  }
  if (Array.isArray(value)) return value.flatMap(referencesIn);
  if (value && typeof value === 'object') return Object.values(value).flatMap(referencesIn);
  return [];
}

/**
 * Resolves templates in a (nested) value. A string that is exactly one expression takes the
 * expression's value with its type (a number stays a number); mixed text is interpolated.
 */
export function renderValue(value: unknown, lookup: Lookup): unknown {
  if (typeof value === 'string') {
    if (!hasTemplate(value)) return value;
    const template = parseTemplate(value);
    const whole = wholeExpression(template);
    if (whole) return evaluate(whole, lookup);
    return template
      .map((p) => {
        if (typeof p === 'string') return p;
        const v = evaluate(p, lookup);
        return v === null || v === undefined
          ? ''
          : typeof v === 'object'
            ? JSON.stringify(v)
            : String(v);
      })
      .join('');
  }
  if (Array.isArray(value)) return value.map((v) => renderValue(v, lookup));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, renderValue(v, lookup)]));
  }
  return value;
}

/** Parses an `if`: either `${{ expr }}` or a bare expression, as in GitHub Actions. */
export function parseCondition(text: string): Expr {
  const trimmed = text.trim();
  if (trimmed.startsWith(OPEN) && trimmed.endsWith(CLOSE)) {
    const whole = wholeExpression(parseTemplate(trimmed));
    if (whole) return whole;
  }
  try {
    return parseExpression(trimmed);
  } catch (error) {
    throw new TemplateError(`if "${text}": ${(error as Error).message}`);
  }
}
