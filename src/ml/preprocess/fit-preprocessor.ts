import { InvalidArgumentError } from '../../core/index.js';
import type { ColumnTransform, RawValue } from './preprocessor.js';
import { Preprocessor } from './preprocessor.js';

/** Options for {@link fitPreprocessor}. */
export interface PreprocessorOptions {
  /** Missing numeric values: `none` keeps NaN for trees; linear models need an imputer. */
  impute?: 'none' | 'mean' | 'median';
  /** Standardise numeric columns to zero mean and unit variance. */
  standardize?: boolean;
  /**
   * String columns: `onehot` (linear models), `ordinal` (native categorical trees), or `auto`:
   * one-hot up to `maxOnehot` categories, ordinal above.
   */
  categorical?: 'onehot' | 'ordinal' | 'auto';
  maxOnehot?: number;
}

/** A named raw input column. */
export interface RawColumn {
  name: string;
  values: ArrayLike<RawValue>;
}

function isStringColumn(values: ArrayLike<RawValue>): boolean {
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (typeof v === 'string' && v !== '') return true;
  }
  return false;
}

/** Learns imputation values, scales and category lists from training columns. */
export function fitPreprocessor(
  columns: readonly RawColumn[],
  options: PreprocessorOptions = {},
): Preprocessor {
  const impute = options.impute ?? 'mean';
  const standardize = options.standardize ?? false;
  const categorical = options.categorical ?? 'auto';
  const maxOnehot = options.maxOnehot ?? 16;
  const transforms: ColumnTransform[] = columns.map(({ name, values }) => {
    if (isStringColumn(values)) {
      const seen = new Set<string>();
      for (let i = 0; i < values.length; i++) {
        const v = values[i];
        if (v !== null && v !== undefined && v !== '') seen.add(String(v));
      }
      const categories = [...seen].sort();
      const kind =
        categorical === 'auto'
          ? categories.length <= maxOnehot
            ? 'onehot'
            : 'ordinal'
          : categorical;
      return { kind, name, categories };
    }
    const present: number[] = [];
    for (let i = 0; i < values.length; i++) {
      const v = values[i];
      if (typeof v === 'number' && Number.isFinite(v)) present.push(v);
      else if (v !== null && v !== undefined && !(typeof v === 'number' && Number.isNaN(v))) {
        throw new InvalidArgumentError(`column ${name} row ${i} is not a number: ${String(v)}`);
      }
    }
    const mean = present.reduce((s, v) => s + v, 0) / Math.max(1, present.length);
    let fill: number | null = null;
    if (impute === 'mean') fill = mean;
    if (impute === 'median') {
      const s = present.sort((a, b) => a - b);
      fill =
        s.length === 0
          ? 0
          : s.length % 2
            ? s[s.length >> 1]
            : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
    }
    let scale: { mean: number; scale: number } | null = null;
    if (standardize) {
      let v = 0;
      for (const x of present) v += (x - mean) ** 2;
      const sd = Math.sqrt(v / Math.max(1, present.length));
      // Constant columns keep scale 1 so they become zeros rather than NaN.
      scale = { mean, scale: sd > 0 ? sd : 1 };
    }
    return { kind: 'numeric', name, impute: fill, standardize: scale };
  });
  return new Preprocessor({ columns: transforms });
}
