import { existsSync } from 'node:fs';
import type { GyreConfig, LoadConfigOptions } from '../config/index.js';
import { userInfo } from 'node:os';
import { FailedPreconditionError, isGyreError } from '../core/index.js';
import type { Gyre } from '../gyre.js';

export interface CliServeOptions {
  /** Also watch the landing zones (`gyre up`). */
  landingZones?: boolean;
  /** `gyre serve`: the lean model server (one model URI, or every deployment). */
  inference?: { model?: string; deployment?: string; host: string; port: number; workers: number };
  /** `gyre up`: the API's port also answers the inference protocols. */
  withInference?: boolean;
  /** `running.stop` shuts the server down as Ctrl-C would, then exits with `exitCode`. */
  onListening(url: string, running?: RunningGyre): void;
}

/** A Gyre serving in this process (`gyre demo` drives it, then stops it). */
export interface RunningGyre {
  gyre: Gyre;
  stop(exitCode?: number): Promise<void>;
}

/** What the CLI needs from the process entry (src/main.ts); tests pass their own. */
export interface CliContext {
  version: string;
  loadConfig(overrides?: LoadConfigOptions['overrides']): GyreConfig;
  /** Builds every service over the configured database (migrated) and artifact store. */
  open(config: GyreConfig): Promise<Gyre>;
  /** Builds Gyre and serves HTTP until a shutdown signal. */
  serve(config: GyreConfig, options: CliServeOptions): Promise<void>;
  /** The command being run, e.g. `data add` (set by the program once parsing is done). */
  commandPath?(): string;
  stdout: { write(text: string): unknown };
  /** `isTTY` decides whether progress bars are drawn. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/**
 * Runs `work` with the opened services and always closes them afterwards. A command that only
 * reads refuses to start where there is no Gyre home, rather than create an empty one and show
 * nothing; pass `writes: true` for commands that create things.
 */
export async function withGyre<T>(
  ctx: CliContext,
  work: (gyre: Gyre) => Promise<T>,
  options: { writes?: boolean } = {},
): Promise<T> {
  const config = ctx.loadConfig();
  if (!options.writes) requireExistingDatabase(config);
  const gyre = await ctx.open(config);
  try {
    const result = await work(gyre).catch(async (error: unknown) => {
      if (options.writes)
        await auditCommand(ctx, gyre, isGyreError(error) ? error.code : 'INTERNAL');
      throw error;
    });
    if (options.writes) await auditCommand(ctx, gyre, 'ok');
    return result;
  } finally {
    await gyre.close();
  }
}

/** The CLI writes in process, past the HTTP layer's audit: it records its own writes. */
async function auditCommand(ctx: CliContext, gyre: Gyre, outcome: string): Promise<void> {
  await gyre.auth.audit.append({
    at: Date.now(),
    principal: `local:${userInfo().username}`,
    action: `cli ${ctx.commandPath?.() ?? ''}`.trim(),
    target: '-',
    outcome,
    summary: {},
  });
}

/** An embedded (SQLite) database must already exist for a read-only command to mean anything. */
function requireExistingDatabase(config: GyreConfig): void {
  const file = /^sqlite:(?!:memory:)(.+)$/.exec(config.database.url)?.[1];
  if (file === undefined || existsSync(file)) return;
  throw new FailedPreconditionError(
    `no Gyre home found at ${config.home} (no database at ${file}): run where .gyre is, or point at a home with --home <dir> or GYRE_HOME`,
    { home: config.home },
  );
}
