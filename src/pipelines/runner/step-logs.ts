import { once } from 'node:events';
import type { PipelineStore } from '../store/pipeline-store.js';
import { FINISHED_STEP_STATUSES, type LogChunk } from '../types.js';
import { logEvents, logTopic } from './log-sink.js';

const POLL_MS = 200;

/**
 * A step's log from `afterSeq` on; with `follow`, keeps yielding as chunks arrive until the
 * step has finished and everything it wrote was read (or the signal aborts). Chunks written
 * by this process wake the follower at once; other processes' are found by polling.
 */
export async function* readStepLog(
  store: PipelineStore,
  runId: string,
  step: string,
  options: { afterSeq?: number; follow?: boolean; signal?: AbortSignal } = {},
): AsyncGenerator<LogChunk> {
  let seq = options.afterSeq ?? 0;
  for (;;) {
    const chunks = await store.readLog(runId, step, seq, 500);
    for (const chunk of chunks) {
      seq = chunk.seq;
      yield chunk;
    }
    if (chunks.length === 500) continue;
    if (!options.follow || options.signal?.aborted) return;
    const state = (await store.listSteps(runId)).find((s) => s.step === step);
    if (!state || FINISHED_STEP_STATUSES.includes(state.status)) {
      // One last read: the final chunk is stored before the step's state changes.
      const rest = await store.readLog(runId, step, seq, 10_000);
      for (const chunk of rest) yield chunk;
      return;
    }
    const wake = new AbortController();
    const timer = setTimeout(() => wake.abort(), POLL_MS);
    try {
      await once(logEvents, logTopic(runId, step), {
        signal: AbortSignal.any([wake.signal, ...(options.signal ? [options.signal] : [])]),
      });
    } catch {
      // timed out or aborted: look again
    } finally {
      clearTimeout(timer);
    }
  }
}
