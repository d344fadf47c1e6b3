import { InvalidArgumentError } from '../../core/index.js';

type Raw = Record<string, unknown>;

function refuse(field: string, why: string): never {
  throw new InvalidArgumentError(`Invalid value for parameter '${field}': ${why}`, { field });
}

/**
 * The arguments of one MLflow request, read the way MLflow's server reads them: from the query
 * string for GET (repeated keys make lists, everything arrives as text) and from the JSON body
 * otherwise. Readers accept what protobuf-JSON clients send (int64 as strings, NaN/Infinity
 * as strings) and name the field when a value is missing or of the wrong type.
 */
export class MlflowArgs {
  constructor(
    private readonly raw: Raw,
    /** Query strings repeat a key to make a list; a JSON body has real lists. */
    private readonly fromQueryString = false,
  ) {}

  static fromQuery(query: Record<string, string | string[] | undefined>): MlflowArgs {
    return new MlflowArgs(query as Raw, true);
  }

  static fromBody(body: unknown): MlflowArgs {
    if (body === undefined || body === null) return new MlflowArgs({});
    if (typeof body !== 'object' || Array.isArray(body))
      throw new InvalidArgumentError('request body must be a JSON object', { field: 'body' });
    return new MlflowArgs(body as Raw);
  }

  has(field: string): boolean {
    const v = this.raw[field];
    return v !== undefined && v !== null;
  }

  private value(field: string): unknown {
    const v = this.raw[field];
    // A single GET value may arrive as an array when the key repeats; the last one wins.
    return this.fromQueryString && Array.isArray(v) ? v[v.length - 1] : v;
  }

  private missing(field: string): never {
    throw new InvalidArgumentError(
      `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
      { field },
    );
  }

  string(field: string): string | undefined {
    const v = this.value(field);
    if (v === undefined || v === null) return undefined;
    // JavaScript clients send ids and param values as numbers; their text is what they mean.
    if (typeof v === 'number' && Number.isFinite(v)) return String(v);
    if (typeof v !== 'string') refuse(field, `expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  /** A string field that must arrive as a JSON string: no number is taken for its text. */
  text(field: string): string | undefined {
    const v = this.value(field);
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'string') refuse(field, `expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  requiredString(field: string): string {
    const v = this.string(field);
    if (v === undefined || v === '') return this.missing(field);
    return v;
  }

  /** int64: a JSON number or a decimal string (protobuf-JSON writes int64 as strings). */
  int(field: string): number | undefined {
    const v = this.value(field);
    if (v === undefined || v === null || v === '') return undefined;
    const n =
      typeof v === 'number'
        ? v
        : typeof v === 'string' && /^-?\d+$/.test(v.trim())
          ? Number(v)
          : NaN;
    if (!Number.isSafeInteger(n)) refuse(field, `expected an integer, got ${JSON.stringify(v)}`);
    return n;
  }

  requiredInt(field: string): number {
    return this.int(field) ?? this.missing(field);
  }

  /** double: a JSON number, or "NaN" / "Infinity" / "-Infinity" / a numeric string. */
  double(field: string): number | undefined {
    const v = this.value(field);
    if (v === undefined || v === null) return undefined;
    return parseDouble(field, v);
  }

  requiredDouble(field: string): number {
    return this.double(field) ?? this.missing(field);
  }

  bool(field: string): boolean | undefined {
    const v = this.value(field);
    if (v === undefined || v === null || v === '') return undefined;
    if (v === true || v === 'true' || v === 'True') return true;
    if (v === false || v === 'false' || v === 'False') return false;
    return refuse(field, `expected true or false, got ${JSON.stringify(v)}`);
  }

  stringList(field: string): string[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return [];
    const list: unknown[] = Array.isArray(v) ? [...v] : [v];
    for (let i = 0; i < list.length; i += 1)
      if (typeof list[i] === 'number') list[i] = String(list[i]);
    for (const item of list)
      if (typeof item !== 'string')
        refuse(field, `expected a list of strings, got ${JSON.stringify(item)}`);
    return list as string[];
  }

  /** A repeated message field: a list of objects, each read with its own MlflowArgs. */
  objectList(field: string): MlflowArgs[] {
    const v = this.raw[field];
    if (v === undefined || v === null) return [];
    if (!Array.isArray(v)) refuse(field, 'expected a list of objects');
    return v.map((item, i) => {
      if (typeof item !== 'object' || item === null || Array.isArray(item))
        refuse(`${field}[${i}]`, 'expected an object');
      return new MlflowArgs(item as Raw);
    });
  }

  /** A nested message field. */
  object(field: string): MlflowArgs | undefined {
    const v = this.raw[field];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== 'object' || Array.isArray(v)) refuse(field, 'expected an object');
    return new MlflowArgs(v as Raw);
  }

  /**
   * An enum field by name; `allowed` lists the names. With `numbered`, the protobuf number is
   * accepted too, `allowed` being in number order from 1 (ViewType, RunStatus).
   */
  enumValue<T extends string>(
    field: string,
    allowed: readonly T[],
    options: { numbered?: boolean } = {},
  ): T | undefined {
    const v = this.value(field);
    if (v === undefined || v === null || v === '') return undefined;
    if (options.numbered && (typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v)))) {
      const byNumber = allowed[Number(v) - 1];
      if (byNumber) return byNumber;
    }
    if (typeof v !== 'string' || !allowed.includes(v as T))
      refuse(field, `expected one of ${allowed.join(', ')}, got ${JSON.stringify(v)}`);
    return v as T;
  }
}

/** A decimal number as protobuf-JSON writes doubles: sign, digits, fraction, exponent. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;

/**
 * A double as MLflow reads it: a JSON number, a decimal string (`"16"`, `"-2.5e-3"`), or
 * `"NaN"` / `"Infinity"` / `"-Infinity"`. Number() alone would also take `"0x10"` as 16, `""`
 * as 0 and padded or binary forms, which MLflow refuses.
 */
export function parseDouble(field: string, v: unknown): number {
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v === 'NaN') return NaN;
    if (v === 'Infinity' || v === 'inf') return Infinity;
    if (v === '-Infinity' || v === '-inf') return -Infinity;
    if (DECIMAL.test(v)) return Number(v);
  }
  return refuse(field, `expected a number, got ${JSON.stringify(v)}`);
}
