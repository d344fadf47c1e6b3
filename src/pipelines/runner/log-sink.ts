import { EventEmitter } from 'node:events';
import type { Clock } from '../../core/index.js';
import type { PipelineStore } from '../store/pipeline-store.js';
import type { LogChunk } from '../types.js';

const FLUSH_MS = 100;
const FLUSH_BYTES = 32 * 1024;

/** Wakes in-process log followers as soon as a chunk is stored (others poll the store). */
export const logEvents = new EventEmitter();
logEvents.setMaxListeners(0);
export const logTopic = (runId: string, step: string) => `${runId}/${step}`;

/**
 * Collects a step's output and stores it in numbered chunks, at most every 100 ms, so
 * followers on any server see it while the step runs and nothing is lost when it ends.
 */
export class StepLogSink {
  private buffer = '';
  private timer: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();

  constructor(
    private readonly store: PipelineStore,
    private readonly runId: string,
    private readonly step: string,
    private seq: number,
    private readonly clock: Clock,
    /** Also hands each piece to the caller (the CLI prints a step's lines as they come). */
    private readonly echo?: (step: string, text: string) => void,
  ) {}

  write(text: string): void {
    if (text === '') return;
    this.echo?.(this.step, text);
    this.buffer += text;
    if (this.buffer.length >= FLUSH_BYTES) this.flushSoon(0);
    else this.flushSoon(FLUSH_MS);
  }

  /** A line from the runner itself (retries, cache hits), marked so it stands out. */
  note(line: string): void {
    this.write(`[gyre] ${line}\n`);
  }

  private flushSoon(delay: number): void {
    if (this.timer && delay > 0) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      void this.flush();
    }, delay);
    this.timer.unref();
  }

  /** Writes what is buffered; resolves once everything written so far is stored. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.buffer !== '') {
      const chunk: LogChunk = { seq: ++this.seq, text: this.buffer, createdAt: this.clock.now() };
      this.buffer = '';
      this.writing = this.writing
        .then(() => this.store.appendLog(this.runId, this.step, [chunk]))
        .then(() => void logEvents.emit(logTopic(this.runId, this.step)))
        .catch(() => {
          // A lost log chunk must not fail the step; the step's own result is what counts.
        });
    }
    return this.writing;
  }

  get lastSeq(): number {
    return this.seq;
  }
}
