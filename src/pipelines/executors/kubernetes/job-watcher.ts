import type { V1Job } from '@kubernetes/client-node';
import type { Logger } from '../../../core/index.js';
import { statusOf, type KubernetesClients } from './kubernetes-client.js';
import { STEP_SELECTOR } from './job-spec.js';

/** Called with each new state of a Job; `undefined` once it is deleted. */
export type JobListener = (job: V1Job | undefined) => void;

/**
 * One watch over every step Job of a namespace, shared by all steps in flight (a 20-step DAG
 * opens one connection, not twenty). It lists once, then watches from the list's
 * resourceVersion; a dropped connection resumes from the last resourceVersion seen, and a
 * `410 Gone` (history compacted) lists again and carries on from the fresh list.
 */
export class JobWatcher {
  private readonly jobs = new Map<string, V1Job>();
  private readonly listeners = new Map<string, Set<JobListener>>();
  private resourceVersion: string | undefined;
  private controller: AbortController | undefined;
  private started: Promise<void> | undefined;
  private stopped = false;
  private gone = false;
  private retryMs = 0;
  /** Watches opened after the first, and lists after a 410 (for logs and tests). */
  readonly stats = { resumed: 0, relisted: 0 };

  constructor(
    private readonly clients: KubernetesClients,
    private readonly namespace: string,
    private readonly logger: Logger,
  ) {}

  /** Lists and starts watching, once; later calls wait for the same start. */
  start(): Promise<void> {
    this.started ??= this.list()
      .then(() => this.watch())
      .catch((error: unknown) => {
        // Not started: the next step tries again.
        this.started = undefined;
        throw error;
      });
    return this.started;
  }

  /** The Jobs known now (the last state seen of each). */
  current(): V1Job[] {
    return [...this.jobs.values()];
  }

  /** Follows one Job by name; hands over its last known state at once. Returns the unsubscribe. */
  follow(name: string, listener: JobListener): () => void {
    let set = this.listeners.get(name);
    if (!set) this.listeners.set(name, (set = new Set()));
    set.add(listener);
    const known = this.jobs.get(name);
    if (known) queueMicrotask(() => listener(known));
    return () => {
      set.delete(listener);
      if (set.size === 0) this.listeners.delete(name);
    };
  }

  stop(): void {
    this.stopped = true;
    this.controller?.abort();
  }

  private async list(): Promise<void> {
    const list = await this.clients.batch.listNamespacedJob({
      namespace: this.namespace,
      labelSelector: STEP_SELECTOR,
    });
    this.resourceVersion = list.metadata?.resourceVersion;
    const seen = new Set<string>();
    for (const job of list.items) {
      seen.add(job.metadata!.name!);
      this.update(job);
    }
    // Deleted while no watch was open: the list no longer holds them.
    for (const name of [...this.jobs.keys()]) if (!seen.has(name)) this.remove(name);
  }

  private async watch(): Promise<void> {
    if (this.stopped) return;
    this.controller = await this.clients.watch.watch(
      `/apis/batch/v1/namespaces/${this.namespace}/jobs`,
      {
        labelSelector: STEP_SELECTOR,
        resourceVersion: this.resourceVersion,
        allowWatchBookmarks: true,
      },
      (type: string, object: V1Job & { code?: number }) => {
        if (type === 'ERROR') {
          if (object?.code === 410) this.gone = true;
          return;
        }
        this.resourceVersion = object.metadata?.resourceVersion ?? this.resourceVersion;
        this.retryMs = 0;
        if (type === 'BOOKMARK') return;
        if (type === 'DELETED') this.remove(object.metadata!.name!);
        else this.update(object);
      },
      (error: unknown) => this.reconnect(error),
    );
  }

  private reconnect(error: unknown): void {
    if (this.stopped) return;
    const gone = this.gone || statusOf(error) === 410;
    this.gone = false;
    if (gone) this.stats.relisted++;
    else this.stats.resumed++;
    if (error && !gone) this.logger.warn({ err: error }, 'Kubernetes Job watch dropped; resuming');
    const again = async () => {
      try {
        if (gone) await this.list();
        await this.watch();
      } catch (err) {
        // The API server is away: try again, waiting longer each time (up to 5 s).
        this.retryMs = Math.min(5000, Math.max(100, this.retryMs * 2));
        this.reconnect(err);
      }
    };
    setTimeout(() => void again(), error && !gone ? this.retryMs : 0);
  }

  private update(job: V1Job): void {
    const name = job.metadata!.name!;
    this.jobs.set(name, job);
    for (const listener of this.listeners.get(name) ?? []) listener(job);
  }

  private remove(name: string): void {
    this.jobs.delete(name);
    for (const listener of this.listeners.get(name) ?? []) listener(undefined);
  }
}
