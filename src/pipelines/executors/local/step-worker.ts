// Worker-thread entry that runs built-in steps for the local executor. Started from dist/
// (never through a dev-time loader); it opens its own services once through the host module
// the composition root names, then runs one step per message, reusing them.
import { readFileSync } from 'node:fs';
import { getHeapStatistics } from 'node:v8';
import { parentPort, workerData } from 'node:worker_threads';
import { builtinStep } from '../../steps/builtin-steps.js';
import type { StepServices } from '../../steps/step-types.js';
import type { FromWorker, StepWorkerData, ToWorker } from './worker-protocol.js';

const data = workerData as StepWorkerData;
const port = parentPort!;
const post = (message: FromWorker) => port.postMessage(message);

type Host = { openStepServices(options: unknown): Promise<StepServices> };
const services = (import(data.hostModule) as Promise<Host>).then((host) =>
  host.openStepServices(data.hostOptions),
);
// Keep an unhandled rejection from killing the thread before the first task reports it.
services.catch(() => {});

/** This thread's CPU time in ms (Linux /proc/thread-self), or undefined elsewhere. */
function threadCpuMs(): number | undefined {
  try {
    const text = readFileSync('/proc/thread-self/stat', 'utf8');
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return undefined;
  }
}

let controller: AbortController | undefined;

port.on('message', (message: ToWorker) => {
  if (message.type === 'abort') {
    controller?.abort(message.reason);
    return;
  }
  void runTask(message);
});

async function runTask(task: Extract<ToWorker, { type: 'run' }>): Promise<void> {
  controller = new AbortController();
  const cpuStart = threadCpuMs();
  let peakHeap = 0;
  const heap = () => {
    const s = getHeapStatistics() as ReturnType<typeof getHeapStatistics> & {
      external_memory?: number;
    };
    peakHeap = Math.max(peakHeap, s.used_heap_size + (s.external_memory ?? 0));
  };
  const sampler = setInterval(heap, 100);
  const cpu = () => {
    const end = threadCpuMs();
    return cpuStart === undefined || end === undefined ? undefined : end - cpuStart;
  };
  try {
    const step = builtinStep(task.uses);
    if (!step) throw new Error(`unknown step type ${task.uses}`);
    const outputs = await step.run(
      {
        services: await services,
        runId: task.runId,
        pipelineTrackingRunId: task.pipelineRunId,
        trackingRunId: task.stepRunId,
        experimentId: task.experimentId,
        step: task.step,
        attempt: task.attempt,
        workDir: task.workDir,
        log: (line) => post({ type: 'log', text: `${line}\n` }),
        signal: controller.signal,
      },
      task.inputs,
    );
    heap();
    post({ type: 'done', outputs, cpuMs: cpu(), peakHeapBytes: peakHeap });
  } catch (error) {
    heap();
    post({
      type: 'failed',
      message: (error as Error)?.message ?? String(error),
      cpuMs: cpu(),
      peakHeapBytes: peakHeap,
    });
  } finally {
    clearInterval(sampler);
    controller = undefined;
  }
}
