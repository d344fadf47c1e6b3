// The demo's own drift reading, used only when the server has no monitoring to ask: the share
// of model inputs whose live distribution moved away from the training data's, by the tests
// Evidently uses for large samples (normed Wasserstein ≥ 0.1 for numbers, Jensen–Shannon
// distance ≥ 0.1 for categories), dataset drift at a share of 0.5.
import {
  jensenShannonDistance,
  normedWasserstein,
  populationStd,
  wassersteinDistance,
} from '../../ml/index.js';
import { FEATURES, MERCHANT_CATEGORIES, type Transaction } from './transactions.js';

const THRESHOLD = 0.1;

type Row = Omit<Transaction, 'is_fraud'>;

/** Share of the six inputs that drifted between `reference` and `current`, 0..1. */
export function driftShare(reference: readonly Row[], current: readonly Row[]): number {
  if (reference.length === 0 || current.length < 200) return 0;
  let drifted = 0;
  for (const feature of FEATURES) {
    if (feature === 'merchant_category') {
      const counts = (rows: readonly Row[]) =>
        MERCHANT_CATEGORIES.map((c) => rows.filter((r) => r.merchant_category === c).length);
      if (jensenShannonDistance(counts(reference), counts(current)) >= THRESHOLD) drifted++;
      continue;
    }
    const ref = Float64Array.from(reference, (r) => r[feature]);
    const cur = Float64Array.from(current, (r) => r[feature]);
    if (normedWasserstein(wassersteinDistance(ref, cur), populationStd(ref)) >= THRESHOLD)
      drifted++;
  }
  return drifted / FEATURES.length;
}
