import type { ArtifactStore } from '../artifacts/index.js';
import type { GyreConfig, LoadConfigOptions } from '../config/index.js';
import type { DataServices } from '../data/index.js';
import type { Database } from '../db/index.js';
import type { RegistryService } from '../registry/index.js';
import type { TrackingService } from '../tracking/index.js';

/** The stores and services a CLI command may use, opened in-process by the composition root. */
export interface OpenedGyre {
  config: GyreConfig;
  db: Database;
  artifacts: ArtifactStore;
  tracking: TrackingService;
  registry: RegistryService;
  data: DataServices;
  close(): Promise<void>;
}

/** What the CLI needs from the composition root; src/main.ts provides it. */
export interface CliContext {
  version: string;
  loadConfig(overrides?: LoadConfigOptions['overrides']): GyreConfig;
  /** Opens the configured database (migrated) and artifact store, with every domain service. */
  open(config: GyreConfig): Promise<OpenedGyre>;
  /** Opens everything the embedded shape needs and serves HTTP until a shutdown signal. */
  serve(
    config: GyreConfig,
    options: { onListening(url: string): void; landingZones?: boolean },
  ): Promise<void>;
  stdout: { write(text: string): unknown };
  /** `isTTY` decides whether progress bars are drawn. */
  stderr: { write(text: string): unknown; isTTY?: boolean };
}

/** Runs `work` with the opened services and always closes them afterwards. */
export async function withGyre<T>(
  ctx: CliContext,
  work: (gyre: OpenedGyre) => Promise<T>,
): Promise<T> {
  const gyre = await ctx.open(ctx.loadConfig());
  try {
    return await work(gyre);
  } finally {
    await gyre.close();
  }
}
