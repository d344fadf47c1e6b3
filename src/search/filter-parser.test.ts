import { describe, expect, it } from 'vitest';
import { parseFilter } from './filter-parser.js';
import { decodePageToken, encodePageToken } from './page-token.js';
import { parseOrderBy } from './order-by.js';
import { likeToGlob } from './like-condition.js';

describe('parseFilter', () => {
  it('parses every entity prefix, quoting style and operator', () => {
    const ast = parseFilter(
      "metrics.rmse < 0.5 AND params.`learning rate` = '0.1' AND tags.\"data set\" LIKE 'cal%' " +
        "and attributes.status != 'FAILED' AND run_name ILIKE '%Gbdt%' AND datasets.digest IN ('a', 'b') " +
        "AND attribute.run_id NOT IN ('x') AND metric.loss >= -1e-3",
    );
    expect(ast.clauses.map((c) => [c.kind, c.key, c.operator, c.value])).toEqual([
      ['metric', 'rmse', '<', { type: 'number', value: 0.5 }],
      ['param', 'learning rate', '=', { type: 'string', value: '0.1' }],
      ['tag', 'data set', 'LIKE', { type: 'string', value: 'cal%' }],
      ['attribute', 'status', '!=', { type: 'string', value: 'FAILED' }],
      ['attribute', 'run_name', 'ILIKE', { type: 'string', value: '%Gbdt%' }],
      ['dataset', 'digest', 'IN', { type: 'list', values: ['a', 'b'] }],
      ['attribute', 'run_id', 'NOT IN', { type: 'list', values: ['x'] }],
      ['metric', 'loss', '>=', { type: 'number', value: -0.001 }],
    ]);
  });

  it('reads doubled quotes as one quote, so an injection attempt stays one literal', () => {
    const ast = parseFilter("tags.x = 'a'' OR 1=1 --'");
    expect(ast.clauses).toHaveLength(1);
    expect(ast.clauses[0].value).toEqual({ type: 'string', value: "a' OR 1=1 --" });
  });

  it('keeps dotted and slashed keys whole', () => {
    const ast = parseFilter("tags.mlflow.runName = 'r' AND metrics.val/loss > 1");
    expect(ast.clauses.map((c) => c.key)).toEqual(['mlflow.runName', 'val/loss']);
  });

  it('treats an empty or blank filter as no clauses', () => {
    expect(parseFilter('').clauses).toEqual([]);
    expect(parseFilter('   ').clauses).toEqual([]);
    expect(parseFilter(undefined).clauses).toEqual([]);
  });

  it.each([
    ['metrics.a > 1 OR metrics.b > 2', /'OR' .* not supported/, 'OR'],
    ['metrics.a > 1 AND', /filter ended/, undefined],
    ['metrics.a 1', /unexpected token '1'/, '1'],
    ["foo.a = 'x'", /unknown entity 'foo'/, 'foo.a'],
    ["tags.a = 'x", /unterminated ' quote/, "'x"],
    ['(metrics.a > 1)', /unexpected token '\('/, '('],
    ["params.a IN 'x'", /unexpected token ''x''/, "'x'"],
    ['metrics.a > 1 metrics.b > 2', /unexpected token 'metrics.b'/, 'metrics.b'],
    ['metrics.a ~ 1', /unexpected character "~"/, '~'],
  ])('refuses %s naming the offending token', (filter, message, token) => {
    let caught: unknown;
    try {
      parseFilter(filter);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INVALID_ARGUMENT' });
    expect((caught as Error).message).toMatch(message);
    if (token !== undefined)
      expect((caught as { details: object }).details).toMatchObject({ token });
  });
});

describe('parseOrderBy', () => {
  it('reads identifiers with an optional direction', () => {
    expect(parseOrderBy('metrics.rmse DESC')).toMatchObject({
      kind: 'metric',
      key: 'rmse',
      descending: true,
    });
    expect(parseOrderBy('attributes.start_time')).toMatchObject({
      kind: 'attribute',
      key: 'start_time',
      descending: false,
    });
    expect(parseOrderBy('name asc')).toMatchObject({ kind: 'attribute', key: 'name' });
    expect(parseOrderBy('params.`a b` desc')).toMatchObject({ kind: 'param', key: 'a b' });
  });

  it('refuses a bad direction or trailing text', () => {
    expect(() => parseOrderBy('metrics.rmse UP')).toThrow(/direction must be ASC or DESC/);
    expect(() => parseOrderBy('metrics.rmse DESC x')).toThrow(/unexpected 'x'/);
    expect(() => parseOrderBy("'x'")).toThrow(/expected an identifier/);
  });
});

describe('page tokens', () => {
  it('round-trip and refuse forgeries', () => {
    expect(decodePageToken(encodePageToken({ offset: 40 }))).toEqual({ offset: 40 });
    expect(decodePageToken(undefined)).toEqual({ offset: 0 });
    expect(() => decodePageToken('not-a-token')).toThrow(/invalid page_token/);
    const forged = Buffer.from(JSON.stringify({ o: '1; drop table runs' })).toString('base64url');
    expect(() => decodePageToken(forged)).toThrow(/invalid page_token/);
    expect(() => decodePageToken(Buffer.from('{"o":-1}').toString('base64url'))).toThrow();
  });
});

describe('likeToGlob', () => {
  it('translates wildcards and escapes GLOB specials', () => {
    expect(likeToGlob('a%b_c')).toBe('a*b?c');
    expect(likeToGlob('50\\%*?[')).toBe('50%[*][?][[]');
  });
});
