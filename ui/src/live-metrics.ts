import { useEffect, useState } from 'react';
import { gyre } from './api.js';

/** Sums of the inference series of one deployment, read from the Prometheus text at /metrics. */
interface Totals {
  at: number;
  requests: number;
  errors: number;
  durationSum: number;
  durationCount: number;
}

const LINE =
  /^(gyre_inference_(?:requests_total|errors_total|duration_seconds_sum|duration_seconds_count))\{([^}]*)\} ([0-9.eE+-]+|NaN)$/;

export function inferenceTotals(text: string, deployment: string): Totals {
  const totals: Totals = {
    at: Date.now(),
    requests: 0,
    errors: 0,
    durationSum: 0,
    durationCount: 0,
  };
  for (const line of text.split('\n')) {
    const m = LINE.exec(line);
    if (!m || !m[2].includes(`deployment="${deployment}"`)) continue;
    // Shadow copies are not answered to callers: leave them out of the live numbers.
    if (m[2].includes('role="shadow"')) continue;
    const value = Number(m[3]);
    if (m[1] === 'gyre_inference_requests_total') totals.requests += value;
    else if (m[1] === 'gyre_inference_errors_total') totals.errors += value;
    else if (m[1] === 'gyre_inference_duration_seconds_sum') totals.durationSum += value;
    else totals.durationCount += value;
  }
  return totals;
}

export interface LivePoint {
  at: number;
  rps: number;
  errorsPerSecond: number;
  /** Mean latency over the interval in ms; null with no requests. */
  latencyMs: number | null;
}

/**
 * Requests per second, errors per second and mean latency of a deployment, from the deltas of
 * its counters between two reads of /metrics; keeps the last `keep` points.
 */
export function useLiveInference(deployment: string, everyMs = 2000, keep = 90) {
  const [points, setPoints] = useState<LivePoint[]>([]);
  const [error, setError] = useState<unknown>();
  useEffect(() => {
    let previous: Totals | undefined;
    let stopped = false;
    const read = async () => {
      try {
        const text = await (await gyre().http.raw('/metrics')).text();
        const now = inferenceTotals(text, deployment);
        if (previous && !stopped) {
          const seconds = Math.max(0.001, (now.at - previous.at) / 1000);
          const count = now.durationCount - previous.durationCount;
          const point: LivePoint = {
            at: now.at,
            rps: Math.max(0, now.requests - previous.requests) / seconds,
            errorsPerSecond: Math.max(0, now.errors - previous.errors) / seconds,
            latencyMs: count > 0 ? ((now.durationSum - previous.durationSum) / count) * 1000 : null,
          };
          setPoints((p) => [...p.slice(-(keep - 1)), point]);
        }
        previous = now;
        setError(undefined);
      } catch (e) {
        setError(e);
      }
    };
    void read();
    const timer = setInterval(() => void read(), everyMs);
    return () => {
      stopped = true;
      clearInterval(timer);
    };
  }, [deployment, everyMs, keep]);
  return { points, error };
}
