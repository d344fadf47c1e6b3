import type { Metric } from './types.js';

/**
 * Metric points as a JSON array of `{key, value, timestamp, step}`, with NaN and ±Infinity
 * written as the strings "NaN", "Infinity" and "-Infinity" (plain JSON cannot hold them; this
 * is also how protobuf-JSON writes them). Built by hand because histories reach 100,000 points.
 */
export function metricsToJson(metrics: readonly Metric[]): string {
  const parts = new Array<string>(metrics.length);
  for (let i = 0; i < metrics.length; i += 1) {
    const m = metrics[i];
    parts[i] =
      `{"key":${JSON.stringify(m.key)},"value":${doubleToJson(m.value)},"timestamp":${m.timestamp},"step":${m.step}}`;
  }
  return `[${parts.join(',')}]`;
}

export function doubleToJson(v: number): string {
  if (Number.isFinite(v)) return String(v);
  return Number.isNaN(v) ? '"NaN"' : v > 0 ? '"Infinity"' : '"-Infinity"';
}

/** One page of a metric history already rendered as a JSON array (see metricsToJson). */
export interface MetricHistoryJson {
  json: string;
  count: number;
  nextPageToken?: string;
}
