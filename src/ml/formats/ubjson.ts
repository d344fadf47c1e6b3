import { InvalidArgumentError } from '../../core/index.js';

/** A decoded UBJSON value; strongly typed numeric arrays decode to typed arrays. */
export type UbjValue =
  | null
  | boolean
  | number
  | bigint
  | string
  | UbjValue[]
  | { [key: string]: UbjValue }
  | Int8Array
  | Uint8Array
  | Int16Array
  | Int32Array
  | BigInt64Array
  | Float32Array
  | Float64Array;

const TYPED: Record<string, { size: number; make: (n: number) => UbjValue & ArrayLike<unknown> }> =
  {
    i: { size: 1, make: (n) => new Int8Array(n) },
    U: { size: 1, make: (n) => new Uint8Array(n) },
    I: { size: 2, make: (n) => new Int16Array(n) },
    l: { size: 4, make: (n) => new Int32Array(n) },
    L: { size: 8, make: (n) => new BigInt64Array(n) },
    d: { size: 4, make: (n) => new Float32Array(n) },
    D: { size: 8, make: (n) => new Float64Array(n) },
  };

/**
 * Decodes Universal Binary JSON (ubjson.org, draft 12), the format of XGBoost's `.ubj`
 * models. XGBoost writes its big arrays as optimized containers (`[$d#l…`), which decode
 * straight into typed arrays. Malformed input throws InvalidArgumentError, never reads past
 * the buffer.
 */
export function decodeUbjson(bytes: Uint8Array): UbjValue {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: false });
  let pos = 0;
  const fail = (why: string): never => {
    throw new InvalidArgumentError(`invalid UBJSON at byte ${pos}: ${why}`);
  };
  const need = (n: number): void => {
    if (n < 0 || pos + n > bytes.length) fail('unexpected end of data');
  };
  const marker = (): string => {
    need(1);
    return String.fromCharCode(bytes[pos++]);
  };
  const number = (type: string): number | bigint => {
    switch (type) {
      case 'i':
        need(1);
        return view.getInt8(pos++);
      case 'U':
        need(1);
        return view.getUint8(pos++);
      case 'I':
        need(2);
        pos += 2;
        return view.getInt16(pos - 2);
      case 'l':
        need(4);
        pos += 4;
        return view.getInt32(pos - 4);
      case 'L': {
        need(8);
        pos += 8;
        const v = view.getBigInt64(pos - 8);
        return v >= Number.MIN_SAFE_INTEGER && v <= Number.MAX_SAFE_INTEGER ? Number(v) : v;
      }
      case 'd':
        need(4);
        pos += 4;
        return view.getFloat32(pos - 4);
      case 'D':
        need(8);
        pos += 8;
        return view.getFloat64(pos - 8);
      default:
        return fail(`expected a number type, got '${type}'`);
    }
  };
  const length = (): number => {
    const n = number(marker());
    if (typeof n !== 'number' || !Number.isInteger(n) || n < 0) return fail('bad length');
    return n;
  };
  const string = (): string => {
    const n = length();
    need(n);
    pos += n;
    return text.decode(bytes.subarray(pos - n, pos));
  };
  const value = (type: string, depth: number): UbjValue => {
    if (depth > 256) fail('nesting too deep');
    switch (type) {
      case 'Z':
        return null;
      case 'T':
        return true;
      case 'F':
        return false;
      case 'C':
        need(1);
        return String.fromCharCode(bytes[pos++]);
      case 'S':
      case 'H':
        return string();
      case '[':
        return array(depth);
      case '{':
        return object(depth);
      default:
        return number(type);
    }
  };
  // Optimized container header: optional `$type`, then optional `#count`.
  const header = (): { type: string | null; count: number | null } => {
    let type: string | null = null;
    let count: number | null = null;
    if (bytes[pos] === 0x24) {
      pos++;
      type = marker();
      if (bytes[pos] !== 0x23) fail('a typed container needs a count');
    }
    if (bytes[pos] === 0x23) {
      pos++;
      count = length();
    }
    return { type, count };
  };
  const array = (depth: number): UbjValue => {
    const { type, count } = header();
    if (type && count !== null && TYPED[type]) {
      const { size, make } = TYPED[type];
      need(count * size);
      const out = make(count);
      for (let i = 0; i < count; i++) (out as unknown as unknown[])[i] = readTyped(type);
      return out;
    }
    const out: UbjValue[] = [];
    if (count !== null) {
      if (count > bytes.length - pos && type !== 'Z' && type !== 'T' && type !== 'F')
        fail('count too large');
      for (let i = 0; i < count; i++) out.push(value(type ?? skipNoop(), depth + 1));
      return out;
    }
    for (;;) {
      const m = skipNoop();
      if (m === ']') return out;
      out.push(value(m, depth + 1));
    }
  };
  const readTyped = (type: string): number | bigint => {
    if (type === 'L') {
      pos += 8;
      return view.getBigInt64(pos - 8);
    }
    return number(type);
  };
  const object = (depth: number): UbjValue => {
    const { type, count } = header();
    const out: { [key: string]: UbjValue } = {};
    const set = (key: string, v: UbjValue): void => {
      Object.defineProperty(out, key, {
        value: v,
        enumerable: true,
        writable: true,
        configurable: true,
      });
    };
    if (count !== null) {
      for (let i = 0; i < count; i++) {
        const key = string();
        set(key, value(type ?? marker(), depth + 1));
      }
      return out;
    }
    for (;;) {
      if (bytes[pos] === 0x7d) {
        pos++;
        return out;
      }
      const key = string();
      set(key, value(skipNoop(), depth + 1));
    }
  };
  const skipNoop = (): string => {
    let m = marker();
    while (m === 'N') m = marker();
    return m;
  };
  const result = value(skipNoop(), 0);
  return result;
}
