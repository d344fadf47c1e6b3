import type { RunLookup } from '../registry/index.js';
import type { TrackingService } from '../tracking/index.js';

/** The registry sees tracking only through this port: run summaries and run outputs. */
export function runLookup(tracking: TrackingService): RunLookup {
  return {
    getRun: (runId) => tracking.runs.getRunSummary(runId),
    recordModelOutput: (runId, output) => tracking.runs.recordModelOutput(runId, output),
  };
}
