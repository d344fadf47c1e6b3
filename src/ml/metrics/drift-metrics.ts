// Statistics that compare two distributions, for data validation and drift monitoring.

/** Bin share below which an empty bin is floored, so PSI stays finite. */
const PSI_EPSILON = 1e-4;

/**
 * Population stability index between a baseline (`expected`) and new data (`actual`) binned
 * the same way: PSI = Σ (p − q)·ln(p / q) over bin shares, empty bins floored at 1e-4.
 * 0 means identical; above 0.2 is conventionally a large shift.
 */
export function populationStabilityIndex(
  expected: readonly number[],
  actual: readonly number[],
): number {
  const e = expected.reduce((a, b) => a + b, 0);
  const a = actual.reduce((x, y) => x + y, 0);
  if (e === 0 || a === 0) return 0;
  let psi = 0;
  for (let i = 0; i < expected.length; i++) {
    const p = Math.max(actual[i] / a, PSI_EPSILON);
    const q = Math.max(expected[i] / e, PSI_EPSILON);
    psi += (p - q) * Math.log(p / q);
  }
  return psi;
}
