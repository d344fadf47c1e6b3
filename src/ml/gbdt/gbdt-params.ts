import { InvalidArgumentError } from '../../core/index.js';
import type { GbdtObjective } from './objectives.js';
import { GBDT_OBJECTIVES } from './objectives.js';

/** Training parameters of the gradient-boosted tree learner. Defaults in {@link GBDT_DEFAULTS}. */
export interface GbdtParams {
  /** Loss to minimise. */
  objective: GbdtObjective;
  /** Number of classes for `multiclass_softmax`; ignored otherwise. */
  numClass: number;
  /** Boosting rounds (trees per output). */
  numRounds: number;
  /** Shrinkage applied to every leaf (XGBoost `eta`). */
  learningRate: number;
  /** Maximum depth; 0 means unlimited (only sensible with `lossguide`). */
  maxDepth: number;
  /** Maximum leaves per tree; 0 means unlimited. */
  maxLeaves: number;
  /** `depthwise` grows level by level (XGBoost); `lossguide` grows the best leaf (LightGBM). */
  growPolicy: 'depthwise' | 'lossguide';
  /** Minimum hessian sum in a child. */
  minChildWeight: number;
  /** L2 regularisation on leaf weights. */
  lambda: number;
  /** L1 regularisation on leaf weights. */
  alpha: number;
  /** Minimum loss reduction to make a split. */
  gamma: number;
  /** Bins per feature, including the one reserved for missing values (at most 256). */
  maxBins: number;
  /** Fraction of rows sampled (without replacement) for each tree. */
  subsample: number;
  /** Fraction of features sampled for each tree. */
  colsampleByTree: number;
  /** Seed for row and column sampling. */
  seed: number;
  /** Transition point of the Huber loss. */
  huberDelta: number;
  /** Categorical features with at most this many categories split one-vs-rest. */
  maxCatToOnehot: number;
  /** Stop when the validation metric has not improved for this many rounds; 0 disables. */
  earlyStoppingRounds: number;
  /**
   * Threads that train (the calling thread plus workers). 0 picks every core for data large
   * enough to gain from it. Any count gives the same model, bit for bit.
   */
  numThreads: number;
}

export const GBDT_DEFAULTS: GbdtParams = {
  objective: 'squared_error',
  numClass: 1,
  numRounds: 100,
  learningRate: 0.1,
  maxDepth: 6,
  maxLeaves: 0,
  growPolicy: 'depthwise',
  minChildWeight: 1,
  lambda: 1,
  alpha: 0,
  gamma: 0,
  maxBins: 256,
  subsample: 1,
  colsampleByTree: 1,
  seed: 0,
  huberDelta: 1,
  maxCatToOnehot: 4,
  earlyStoppingRounds: 0,
  numThreads: 0,
};

function check(ok: boolean, name: string, value: unknown, rule: string): void {
  if (!ok) throw new InvalidArgumentError(`${name} ${rule}`, { [name]: value });
}

/** Fills defaults and rejects out-of-range values with a message naming the parameter. */
export function resolveGbdtParams(params: Partial<GbdtParams> = {}): GbdtParams {
  const p: GbdtParams = { ...GBDT_DEFAULTS, ...params };
  const int = (name: keyof GbdtParams, min: number): void => {
    const v = p[name] as number;
    check(Number.isInteger(v) && v >= min, name, v, `must be an integer >= ${min}`);
  };
  const num = (name: keyof GbdtParams, min: number, max = Infinity, openMin = false): void => {
    const v = p[name] as number;
    const ok = Number.isFinite(v) && (openMin ? v > min : v >= min) && v <= max;
    check(ok, name, v, `must be in ${openMin ? '(' : '['}${min}, ${max}]`);
  };
  check(
    GBDT_OBJECTIVES.includes(p.objective),
    'objective',
    p.objective,
    `must be one of ${GBDT_OBJECTIVES.join(', ')}`,
  );
  check(
    p.growPolicy === 'depthwise' || p.growPolicy === 'lossguide',
    'growPolicy',
    p.growPolicy,
    'must be depthwise or lossguide',
  );
  int('numClass', 1);
  int('numRounds', 1);
  int('maxDepth', 0);
  int('maxLeaves', 0);
  int('maxBins', 2);
  int('seed', 0);
  int('maxCatToOnehot', 1);
  int('earlyStoppingRounds', 0);
  int('numThreads', 0);
  num('learningRate', 0, Infinity, true);
  num('minChildWeight', 0);
  num('lambda', 0);
  num('alpha', 0);
  num('gamma', 0);
  num('subsample', 0, 1, true);
  num('colsampleByTree', 0, 1, true);
  num('huberDelta', 0, Infinity, true);
  check(p.maxBins <= 256, 'maxBins', p.maxBins, 'must be at most 256');
  check(
    p.maxDepth > 0 || p.maxLeaves > 0,
    'maxDepth',
    p.maxDepth,
    'or maxLeaves must limit tree size',
  );
  return p;
}
