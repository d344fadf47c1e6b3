import type { GyreConfig, LoadConfigOptions } from '../config/index.js';

/** What the CLI needs from the composition root; src/main.ts provides it. */
export interface CliContext {
  version: string;
  loadConfig(overrides?: LoadConfigOptions['overrides']): GyreConfig;
  /** Opens everything the embedded shape needs and serves HTTP until a shutdown signal. */
  serve(config: GyreConfig, options: { onListening(url: string): void }): Promise<void>;
  stdout: { write(text: string): unknown };
  stderr: { write(text: string): unknown };
}
