import { describe, expect, it } from 'vitest';
import { parseOutputLines, valueOutput } from './output-values.js';

describe('run-step outputs', () => {
  const written = parseOutputLines([
    'rows=1200',
    'ratio = 0.5',
    'ok=1',
    'meta={"a":[1,2]}',
    'note=a=b',
    'garbage line',
    '',
    'bad=twelve',
  ]);

  it('reads name=value lines, keeping everything after the first =', () => {
    expect(Object.fromEntries(written)).toEqual({
      rows: '1200',
      ratio: ' 0.5',
      ok: '1',
      meta: '{"a":[1,2]}',
      note: 'a=b',
      bad: 'twelve',
    });
  });

  it('types each declared value', () => {
    expect(valueOutput('rows', 'integer', written)).toEqual({ type: 'integer', value: 1200 });
    expect(valueOutput('ratio', 'number', written)).toEqual({ type: 'number', value: 0.5 });
    expect(valueOutput('ok', 'boolean', written)).toEqual({ type: 'boolean', value: true });
    expect(valueOutput('meta', 'json', written)).toEqual({ type: 'json', value: { a: [1, 2] } });
    expect(valueOutput('note', 'string', written)).toEqual({ type: 'string', value: 'a=b' });
  });

  it('names a missing or mistyped output', () => {
    expect(() => valueOutput('absent', 'string', written)).toThrow(
      'declared output absent was not written to $GYRE_OUTPUTS',
    );
    expect(() => valueOutput('bad', 'number', written)).toThrow(
      'output bad: "twelve" is not a number',
    );
  });
});
