/** One point of a metric's history as the chart reads it; null where the value is not finite. */
export interface SampledPoint {
  step: number;
  timestamp: number;
  value: number | null;
}

/**
 * Reduces a metric history (in step order) to at most `limit` points for a chart: the history
 * is cut into limit / 2 buckets of consecutive points and each keeps its lowest and highest
 * value in their own order, so spikes and dips survive where averaging would flatten them.
 * The first and last points are always kept. Non-finite values are kept as gaps (null) only
 * when a bucket has no finite value.
 */
export function downsampleMinMax(points: SampledPoint[], limit: number): SampledPoint[] {
  if (limit < 4) throw new RangeError('limit must be at least 4');
  if (points.length <= limit) return points;
  const inner = points.slice(1, -1);
  const buckets = Math.floor((limit - 2) / 2);
  const size = inner.length / buckets;
  const out: SampledPoint[] = [points[0]];
  for (let b = 0; b < buckets; b++) {
    const start = Math.floor(b * size);
    const end = Math.min(inner.length, Math.floor((b + 1) * size));
    let low = -1;
    let high = -1;
    for (let i = start; i < end; i++) {
      const v = inner[i].value;
      if (v === null) continue;
      if (low < 0 || v < inner[low].value!) low = i;
      if (high < 0 || v > inner[high].value!) high = i;
    }
    if (low < 0) {
      if (end > start) out.push(inner[start]);
      continue;
    }
    if (low === high) out.push(inner[low]);
    else out.push(...(low < high ? [inner[low], inner[high]] : [inner[high], inner[low]]));
  }
  out.push(points[points.length - 1]);
  return out;
}
