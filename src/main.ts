// Composition root: reads config once, opens the database and artifact store, builds the
// domain services, and hands them to the server or the CLI. Nothing else wires things together.
import { readFileSync } from 'node:fs';
import { destination, pino } from 'pino';
import { openArtifactStore, type ArtifactStore } from './artifacts/index.js';
import { runCli, type CliContext } from './cli/index.js';
import { loadConfig, type GyreConfig } from './config/index.js';
import {
  createDataServices,
  LandingWatcher,
  serviceLineageLinks,
  type DataServices,
} from './data/index.js';
import type { Logger } from './core/index.js';
import { migrateToLatest, openDatabase, type Database } from './db/index.js';
import { KyselyRegistryStore, RegistryService } from './registry/index.js';
import { buildApp, installGracefulShutdown, listen } from './server/index.js';
import { createTrackingService, type TrackingService } from './tracking/index.js';

const packageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

/** Everything one Gyre process runs on: stores and domain services, built once. */
export interface Gyre {
  config: GyreConfig;
  db: Database;
  artifacts: ArtifactStore;
  tracking: TrackingService;
  registry: RegistryService;
  data: DataServices;
  close(): Promise<void>;
}

async function openGyre(config: GyreConfig, logger: Logger): Promise<Gyre> {
  const db = openDatabase(config.database.url, { poolSize: config.database.poolSize });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const artifacts = openArtifactStore(config.artifacts.root, { s3: config.s3 });
    const tracking = createTrackingService(db);
    // The registry sees tracking only through RunLookup: run summaries and run outputs.
    const registry = new RegistryService({
      store: new KyselyRegistryStore(db),
      artifacts,
      runs: {
        getRun: (runId) => tracking.runs.getRunSummary(runId),
        recordModelOutput: (runId, output) => tracking.runs.recordModelOutput(runId, output),
      },
      logger,
    });
    const data = createDataServices({
      db,
      artifacts,
      openStore: (uri) => openArtifactStore(uri, { s3: config.s3 }),
      lineageLinks: serviceLineageLinks(tracking, registry),
      logger,
    });
    return { config, db, artifacts, tracking, registry, data, close: () => db.close() };
  } catch (error) {
    await db.close();
    throw error;
  }
}

async function serve(
  config: GyreConfig,
  options: { onListening(url: string): void; landingZones?: boolean },
): Promise<void> {
  const logger = pino({ level: config.log.level, base: { service: 'gyre' } });
  const gyre = await openGyre(config, logger);
  try {
    const app = await buildApp({
      ...gyre,
      version: packageJson.version,
      bodyLimitBytes: config.server.bodyLimitBytes,
      logger,
    });
    const url = await listen(app, { host: config.server.host, port: config.server.port });
    // `gyre up` watches the landing zones; the watcher stops (finishing a file in progress)
    // before the database closes.
    const watcher = new LandingWatcher(gyre.data.landing, { logger });
    if (options.landingZones) watcher.start();
    installGracefulShutdown({
      app,
      logger,
      timeoutMs: config.server.shutdownTimeoutMs,
      resources: [{ close: () => watcher.stop() }, gyre],
    });
    options.onListening(url);
  } catch (error) {
    await gyre.close();
    throw error;
  }
}

const context: CliContext = {
  version: packageJson.version,
  loadConfig: (overrides) => loadConfig({ overrides }),
  // CLI commands work in-process on the configured database and artifact store, so the
  // embedded shape needs no running server; logs go to stderr at warn and above.
  open: (config) => openGyre(config, pino({ level: 'warn' }, destination(2))),
  serve,
  stdout: process.stdout,
  stderr: process.stderr,
};

const code = await runCli(process.argv, context);
if (code !== 0) process.exitCode = code;
