import cluster, { type Worker } from 'node:cluster';
import type { Gyre } from '../../gyre.js';
import type { InferenceServeOptions } from './serve-inference.js';

const METRICS_REQUEST = 'gyre:metrics-request';
const METRICS_REPLY = 'gyre:metrics-reply';

interface MetricsMessage {
  type: string;
  id: number;
  text?: string;
  contentType?: string;
  error?: string;
}

/**
 * The primary of `gyre serve --workers N`: forks the workers (each a whole model server on
 * the shared port), replaces any that die, runs the machine's background work (the alias
 * follower), and answers workers' `/metrics` with every worker's metrics summed.
 */
export async function runPrimary(gyre: Gyre, options: InferenceServeOptions): Promise<void> {
  const { AggregatorRegistry } = await import('prom-client');
  const aggregator = new AggregatorRegistry();
  let stopping = false;
  const listening = new Set<number>();
  let announced = false;

  const fork = (): Worker => {
    const worker = cluster.fork();
    worker.on('message', (message: MetricsMessage) => {
      if (message?.type !== METRICS_REQUEST) return;
      aggregator.clusterMetrics().then(
        (text) =>
          worker.send({
            type: METRICS_REPLY,
            id: message.id,
            text,
            contentType: aggregator.contentType,
          }),
        (error: Error) =>
          worker.send({ type: METRICS_REPLY, id: message.id, error: error.message }),
      );
    });
    return worker;
  };
  cluster.on('listening', (worker, address) => {
    listening.add(worker.id);
    if (!announced && listening.size >= options.workers) {
      announced = true;
      const host = options.host.includes(':') ? `[${options.host}]` : options.host;
      options.onListening(`http://${host}:${address.port}`);
    }
  });
  cluster.on('exit', (worker, code, signal) => {
    listening.delete(worker.id);
    if (stopping) return;
    options.logger.error(
      { worker: worker.id, code, signal },
      'serving worker died; starting another',
    );
    fork();
  });
  for (let i = 0; i < options.workers; i++) fork();
  gyre.start();

  const exit = options.exit ?? ((code: number) => process.exit(code));
  const stop = async (signal: NodeJS.Signals) => {
    if (stopping) return exit(1);
    stopping = true;
    options.logger.info({ signal }, 'stopping serving workers');
    const workers = Object.values(cluster.workers ?? {}).filter(
      (w): w is Worker => w !== undefined,
    );
    const exited = workers.map(
      (w) =>
        new Promise<void>((resolve) => (w.isDead() ? resolve() : w.once('exit', () => resolve()))),
    );
    // Each worker drains its requests and writes its prediction log before exiting.
    for (const w of workers) w.process.kill('SIGTERM');
    await Promise.all(exited);
    await gyre.close();
    exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

let nextId = 0;
const waiting = new Map<number, (m: MetricsMessage) => void>();
let listening = false;

/** A worker's `/metrics`: every worker's, summed by the primary. */
export function askPrimaryForMetrics(): Promise<{ contentType: string; text: string }> {
  if (!listening) {
    listening = true;
    process.on('message', (message: MetricsMessage) => {
      if (message?.type !== METRICS_REPLY) return;
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    });
  }
  const id = nextId++;
  return new Promise((resolve, reject) => {
    waiting.set(id, (m) =>
      m.error !== undefined
        ? reject(new Error(`aggregating worker metrics failed: ${m.error}`))
        : resolve({ contentType: m.contentType ?? 'text/plain', text: m.text ?? '' }),
    );
    process.send?.({ type: METRICS_REQUEST, id });
  });
}
