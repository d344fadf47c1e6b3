import { Writable } from 'node:stream';
import { OUTPUT_MARKER, STEP_CONTAINER } from './job-spec.js';
import type { KubernetesClients } from './kubernetes-client.js';

/** How long a finished step's log stream may take to end before the rest is read at once. */
const FOLLOW_GRACE_MS = 10_000;

/**
 * A step pod's log, streamed into the step log as it arrives. Output lines (the wrapper's
 * `::gyre-output::name=value`) are kept apart, never shown. If the stream breaks, or the pod
 * finished before it could be followed, the rest is read in one piece once the Job is done.
 */
export class StepLog {
  /** `name=value` lines of the step's outputs. */
  readonly outputs: string[] = [];
  private received = 0;
  private partial = '';
  private following: Promise<boolean> | undefined;
  private controller: AbortController | undefined;
  private settle: ((clean: boolean) => void) | undefined;

  constructor(
    private readonly clients: KubernetesClients,
    private readonly namespace: string,
    private readonly write: (text: string) => void,
  ) {}

  get started(): boolean {
    return this.following !== undefined;
  }

  /** Follows a running (or finished) pod's log; resolves true if it ended cleanly. */
  follow(pod: string): void {
    this.following = new Promise<boolean>((resolve) => {
      this.settle = resolve;
      const sink = new Writable({
        write: (chunk: Buffer, _encoding, callback) => {
          this.take(chunk.toString());
          callback();
        },
      });
      sink.once('finish', () => resolve(true));
      sink.once('error', () => resolve(false));
      this.clients.log
        .log(this.namespace, pod, STEP_CONTAINER, sink, { follow: true })
        .then((controller) => (this.controller = controller))
        .catch(() => resolve(false));
    });
  }

  /** After the Job ended: waits for the stream, reads what it missed, flushes the last line. */
  async finish(pod: string | undefined): Promise<void> {
    // A stream that never ends (a lost connection the client did not notice) is given up on.
    let timer: NodeJS.Timeout | undefined;
    const clean = this.following
      ? await Promise.race([
          this.following,
          new Promise<boolean>((r) => (timer = setTimeout(() => r(false), FOLLOW_GRACE_MS))),
        ])
      : false;
    clearTimeout(timer);
    if (!clean && pod) {
      try {
        const text = await this.clients.core.readNamespacedPodLog({
          name: pod,
          namespace: this.namespace,
          container: STEP_CONTAINER,
        });
        const all = String(text);
        if (all.length > this.received) this.take(all.slice(this.received));
      } catch {
        this.write("[gyre] the step pod's log could not be read (the pod is gone)\n");
      }
    }
    if (this.partial) this.emit(this.partial);
    this.partial = '';
  }

  /** Stops following (the pod is gone): finish() then waits for nothing. */
  stop(): void {
    this.controller?.abort();
    this.settle?.(false);
  }

  private take(text: string): void {
    this.received += text.length;
    const lines = (this.partial + text).split('\n');
    this.partial = lines.pop() ?? '';
    for (const line of lines) this.emit(`${line}\n`);
  }

  private emit(line: string): void {
    if (line.startsWith(OUTPUT_MARKER))
      this.outputs.push(line.slice(OUTPUT_MARKER.length).replace(/\n$/, ''));
    else this.write(line);
  }
}
