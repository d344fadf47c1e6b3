import type { V1Job, V1Pod } from '@kubernetes/client-node';
import { silentLogger, type Logger } from '../../../core/index.js';
import type { StepProcess } from '../../types.js';
import type { StepOutputs } from '../../steps/step-types.js';
import {
  CANCEL_REASON,
  TIMEOUT_REASON,
  type AttemptResult,
  type Executor,
  type StepIo,
  type StepTask,
} from '../executor.js';
import { parseOutputLines, valueOutput } from '../output-values.js';
import { buildStepJob, jobName, STEP_LABELS, type JobSettings } from './job-spec.js';
import { JobWatcher } from './job-watcher.js';
import {
  connectKubernetes,
  statusOf,
  type KubernetesClients,
  type KubernetesConnection,
} from './kubernetes-client.js';
import { StepLog } from './step-log.js';

export interface KubernetesExecutorOptions {
  settings: JobSettings;
  connection: KubernetesConnection;
  /** Runs built-in steps (Gyre's own code, on the server's worker threads). */
  builtins: Executor;
  logger?: Logger;
}

/** How a Job ended, read from its conditions (or its deletion). */
type JobEnd =
  | { kind: 'complete' }
  | { kind: 'failed'; reason?: string; message?: string }
  | { kind: 'deleted' };

function endOf(job: V1Job | undefined): JobEnd | undefined {
  if (!job) return { kind: 'deleted' };
  for (const c of job.status?.conditions ?? []) {
    if (c.status !== 'True') continue;
    if (c.type === 'Complete') return { kind: 'complete' };
    if (c.type === 'Failed') return { kind: 'failed', reason: c.reason, message: c.message };
  }
  return undefined;
}

/** A host value no process table has: recovery's reaper leaves it alone (see reap). */
const KUBERNETES_HOST = (namespace: string) => `kubernetes:${namespace}`;

/**
 * Runs each `run` step attempt as one Kubernetes Job (built-in steps stay on the server's
 * worker threads). Completion comes from a shared watch, logs stream from the pod, Gyre keeps
 * retries (`backoffLimit: 0`), cancellation deletes the Job with background propagation, and
 * a step whose Job still runs after a restart is re-attached instead of started twice.
 */
export class KubernetesExecutor implements Executor {
  readonly name = 'kubernetes';
  private clients: Promise<KubernetesClients> | undefined;
  private watcher: JobWatcher | undefined;
  private readonly logger: Logger;

  constructor(private readonly options: KubernetesExecutorOptions) {
    this.logger = options.logger ?? silentLogger;
  }

  /** The shared Job watch (started on first use). */
  async jobs(): Promise<JobWatcher> {
    const clients = await this.connect();
    this.watcher ??= new JobWatcher(clients, this.options.settings.namespace, this.logger);
    await this.watcher.start();
    return this.watcher;
  }

  async execute(task: StepTask, io: StepIo): Promise<AttemptResult> {
    if (task.kind === 'builtin') return this.options.builtins.execute(task, io);
    const started = Date.now();
    const { namespace } = this.options.settings;
    let clients: KubernetesClients;
    let watcher: JobWatcher;
    try {
      clients = await this.connect();
      watcher = await this.jobs();
    } catch (error) {
      return {
        status: 'failed',
        error: `cannot reach Kubernetes: ${(error as Error).message}`,
        outputs: {},
        usage: { wallMs: Date.now() - started },
      };
    }
    // A Job of this step left running by a previous server (same run and step, not finished).
    const wanted = buildStepJob(task, this.options.settings).metadata!.labels!;
    const adopted = watcher
      .current()
      .find(
        (j) =>
          j.metadata?.labels?.[STEP_LABELS.run] === wanted[STEP_LABELS.run] &&
          j.metadata?.labels?.[STEP_LABELS.step] === wanted[STEP_LABELS.step] &&
          !endOf(j),
      );
    const name = adopted?.metadata?.name ?? jobName(task);
    const log = new StepLog(clients, namespace, (text) => io.log(text));
    let pod: string | undefined;
    let end: JobEnd | undefined;
    let settle: () => void = () => {};
    const ended = new Promise<void>((resolve) => (settle = resolve));
    const findPod = async (): Promise<V1Pod | undefined> => {
      const pods = await clients.core.listNamespacedPod({
        namespace,
        labelSelector: `job-name=${name}`,
      });
      return pods.items[0];
    };
    const unfollow = watcher.follow(name, (job) => {
      end ??= endOf(job);
      if (!log.started && job && (job.status?.active || job.status?.ready)) {
        void findPod()
          .then((p) => {
            if (p && p.status?.phase !== 'Pending' && !log.started) {
              pod = p.metadata!.name!;
              log.follow(pod);
            }
          })
          .catch(() => {});
      }
      if (end) settle();
    });

    const remove = async () => {
      try {
        await clients.batch.deleteNamespacedJob({
          name,
          namespace,
          propagationPolicy: 'Background',
        });
      } catch (error) {
        if (statusOf(error) !== 404)
          io.log(`[gyre] could not delete Job ${name}: ${(error as Error).message}\n`);
      }
    };
    const onAbort = () => void remove();
    try {
      await io.onProcess({ host: KUBERNETES_HOST(namespace), pid: 0, pgid: 0, procStart: name });
      if (adopted)
        io.log(`[gyre] re-attached to Job ${name}, still running from before a restart\n`);
      else {
        try {
          await clients.batch.createNamespacedJob({
            namespace,
            body: buildStepJob(task, this.options.settings),
          });
          io.log(`[gyre] started Job ${namespace}/${name}\n`);
        } catch (error) {
          // 409: this very attempt's Job exists (created just before a restart): follow it.
          if (statusOf(error) !== 409) throw error;
          io.log(`[gyre] re-attached to Job ${name}\n`);
        }
      }
      io.signal.addEventListener('abort', onAbort, { once: true });
      if (io.signal.aborted) onAbort();
      await ended;
    } catch (error) {
      unfollow();
      return {
        status: 'failed',
        error: `could not start the Job: ${(error as Error).message}`,
        outputs: {},
        usage: { wallMs: Date.now() - started },
      };
    } finally {
      io.signal.removeEventListener('abort', onAbort);
    }
    unfollow();

    const finalPod = pod ? undefined : await findPod().catch(() => undefined);
    pod ??= finalPod?.metadata?.name;
    const exitPod = end?.kind === 'failed' ? await findPod().catch(() => undefined) : finalPod;
    // A deleted Job's pod and log are gone with it: keep what was streamed.
    if (end?.kind === 'deleted') log.stop();
    await log.finish(end?.kind === 'deleted' ? undefined : pod);
    log.stop();
    const usage = { wallMs: Date.now() - started };
    const exitCode =
      exitPod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode ?? undefined;

    if (io.signal.aborted) {
      const timedOut = io.signal.reason === TIMEOUT_REASON;
      return {
        status: timedOut ? 'timed_out' : 'cancelled',
        error: timedOut ? 'timed out' : CANCEL_REASON,
        outputs: {},
        usage,
      };
    }
    if (end?.kind === 'deleted')
      return { status: 'failed', error: `Job ${name} was deleted`, outputs: {}, usage };
    if (end?.kind === 'failed') {
      if (end.reason === 'DeadlineExceeded')
        return { status: 'timed_out', error: "timed out (the Job's deadline)", outputs: {}, usage };
      return {
        status: 'failed',
        ...(exitCode !== undefined ? { exitCode } : {}),
        error:
          exitCode !== undefined
            ? `exit code ${exitCode}`
            : `Job failed: ${end.reason ?? 'unknown reason'}${end.message ? ` (${end.message})` : ''}`,
        outputs: {},
        usage,
      };
    }
    try {
      return {
        status: 'succeeded',
        exitCode: 0,
        outputs: this.outputsOf(task, log.outputs),
        usage,
      };
    } catch (error) {
      return { status: 'failed', exitCode: 0, error: (error as Error).message, outputs: {}, usage };
    }
  }

  /**
   * Nothing to kill after a restart: a step's Job runs on in the cluster, and resuming the run
   * re-attaches to it (see execute). Its deadline and TTL bound it if nobody does.
   */
  async reap(_processes: StepProcess[]): Promise<number> {
    return 0;
  }

  async close(): Promise<void> {
    this.watcher?.stop();
    await this.options.builtins.close();
  }

  private connect(): Promise<KubernetesClients> {
    this.clients ??= connectKubernetes(this.options.connection).catch((error: unknown) => {
      this.clients = undefined; // a bad kubeconfig may be fixed before the next step
      throw error;
    });
    return this.clients;
  }

  private outputsOf(task: StepTask, lines: string[]): StepOutputs {
    const written = parseOutputLines(lines);
    const outputs: StepOutputs = {};
    for (const [name, spec] of Object.entries(task.outputs)) {
      if (spec.type === 'artifact')
        throw new Error(
          `output ${name}: artifact outputs of run steps are not collected from Kubernetes pods; upload them from the step (GYRE_URL, the artifact store) or use a built-in step`,
        );
      outputs[name] = valueOutput(name, spec.type, written);
    }
    return outputs;
  }
}
