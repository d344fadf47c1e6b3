import type { GyreConfig, LoadConfigOptions } from '../config/index.js';
import type { Gyre } from '../gyre.js';

export interface CliServeOptions {
  /** Also watch the landing zones (`gyre up`). */
  landingZones?: boolean;
  onListening(url: string): void;
}

/** What the CLI needs from the process entry (src/main.ts); tests pass their own. */
export interface CliContext {
  version: string;
  loadConfig(overrides?: LoadConfigOptions['overrides']): GyreConfig;
  /** Builds every service over the configured database (migrated) and artifact store. */
  open(config: GyreConfig): Promise<Gyre>;
  /** Builds Gyre and serves HTTP until a shutdown signal. */
  serve(config: GyreConfig, options: CliServeOptions): Promise<void>;
  stdout: { write(text: string): unknown };
  /** `isTTY` decides whether progress bars are drawn. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** Runs `work` with the opened services and always closes them afterwards. */
export async function withGyre<T>(ctx: CliContext, work: (gyre: Gyre) => Promise<T>): Promise<T> {
  const gyre = await ctx.open(ctx.loadConfig());
  try {
    return await work(gyre);
  } finally {
    await gyre.close();
  }
}
