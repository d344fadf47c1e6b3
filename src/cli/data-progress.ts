import cliProgress from 'cli-progress';
import type { ProgressListener } from '../data/index.js';
import type { CliContext } from './context.js';

/** Files smaller than this finish before a bar would be worth drawing. */
const LARGE_FILE_BYTES = 8 * 1024 * 1024;

/**
 * A progress listener that draws a bar on stderr for large files, only when stderr is a
 * terminal (never in pipes, CI logs or tests). `done()` clears it.
 */
export function progressBar(ctx: CliContext): { listener?: ProgressListener; done(): void } {
  if (!ctx.stderr.isTTY) return { done: () => {} };
  let bar: cliProgress.SingleBar | undefined;
  let phase = '';
  const listener: ProgressListener = (event) => {
    if (event.total < LARGE_FILE_BYTES) return;
    if (!bar || phase !== event.phase) {
      bar?.stop();
      phase = event.phase;
      bar = new cliProgress.SingleBar(
        {
          format: `${event.phase.padEnd(8)} [{bar}] {percentage}% | {value}/{total} MiB`,
          stream: process.stderr,
          hideCursor: true,
          clearOnComplete: true,
        },
        cliProgress.Presets.shades_classic,
      );
      bar.start(Math.ceil(event.total / 1048576), 0);
    }
    bar.update(Math.floor(event.done / 1048576));
  };
  return { listener, done: () => bar?.stop() };
}
