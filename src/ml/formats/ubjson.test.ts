import { describe, expect, it } from 'vitest';
import { decodeUbjson } from './ubjson.js';

const enc = (...parts: (string | number[])[]): Uint8Array =>
  Uint8Array.from(
    parts.flatMap((p) => (typeof p === 'string' ? [...p].map((c) => c.charCodeAt(0)) : p)),
  );

describe('decodeUbjson', () => {
  it('decodes objects, strings, ints and optimized float arrays', () => {
    // {"a": [$d#i 2: 1.5, -2], "s": "hi", "n": int16 300}
    const bytes = enc(
      '{',
      'i',
      [1],
      'a',
      '[$d#i',
      [2, 0x3f, 0xc0, 0, 0, 0xc0, 0, 0, 0],
      'i',
      [1],
      's',
      'Si',
      [2],
      'hi',
      'i',
      [1],
      'n',
      'I',
      [0x01, 0x2c],
      '}',
    );
    const doc = decodeUbjson(bytes) as Record<string, unknown>;
    expect(Array.from(doc.a as Float32Array)).toEqual([1.5, -2]);
    expect(doc.s).toBe('hi');
    expect(doc.n).toBe(300);
  });

  it('rejects truncated input instead of reading past the end', () => {
    expect(() => decodeUbjson(enc('[$d#i', [4, 0, 0]))).toThrow(/invalid UBJSON/);
  });

  it('does not let keys reach the prototype', () => {
    const doc = decodeUbjson(enc('{', 'i', [9], '__proto__', 'T', '}')) as Record<string, unknown>;
    expect(Object.getPrototypeOf(doc)).toBe(Object.prototype);
    expect(Object.keys(doc)).toEqual(['__proto__']);
  });
});
