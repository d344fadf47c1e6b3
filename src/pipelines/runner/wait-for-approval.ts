import type { PipelineStore } from '../store/pipeline-store.js';

const POLL_MS = 250;

/**
 * Parks a step in `waiting_approval` until someone runs `gyre approve <run>` (any process:
 * the approval is a row), then puts it back to running. Rejects when the signal aborts.
 */
export async function waitForApproval(
  store: PipelineStore,
  runId: string,
  step: string,
  signal: AbortSignal,
): Promise<string> {
  await store.updateStep(runId, step, { status: 'waiting_approval' });
  for (;;) {
    if (signal.aborted) throw new Error('cancelled while waiting for approval');
    const state = (await store.listSteps(runId)).find((s) => s.step === step);
    if (state?.approvedBy) {
      await store.updateStep(runId, step, { status: 'running' });
      return state.approvedBy;
    }
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}
