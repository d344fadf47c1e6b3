// Composition root: reads config once, opens the database and artifact store, builds the
// services and the server, and hands them to the CLI. Nothing else wires things together.
import { readFileSync } from 'node:fs';
import { pino } from 'pino';
import { openArtifactStore } from './artifacts/index.js';
import { runCli, type CliContext } from './cli/index.js';
import { loadConfig, type GyreConfig } from './config/index.js';
import { migrateToLatest, openDatabase } from './db/index.js';
import { buildApp, installGracefulShutdown, listen } from './server/index.js';

const packageJson = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

async function serve(
  config: GyreConfig,
  options: { onListening(url: string): void },
): Promise<void> {
  const logger = pino({ level: config.log.level, base: { service: 'gyre' } });
  const db = openDatabase(config.database.url, { poolSize: config.database.poolSize });
  try {
    const applied = await migrateToLatest(db);
    if (applied.length > 0) logger.info({ applied }, 'database migrated');
    const artifacts = openArtifactStore(config.artifacts.root, { s3: config.s3 });
    const app = await buildApp({
      db,
      artifacts,
      version: packageJson.version,
      bodyLimitBytes: config.server.bodyLimitBytes,
      logger,
    });
    const url = await listen(app, { host: config.server.host, port: config.server.port });
    installGracefulShutdown({
      app,
      logger,
      timeoutMs: config.server.shutdownTimeoutMs,
      resources: [db],
    });
    options.onListening(url);
  } catch (error) {
    await db.close();
    throw error;
  }
}

const context: CliContext = {
  version: packageJson.version,
  loadConfig: (overrides) => loadConfig({ overrides }),
  serve,
  stdout: process.stdout,
  stderr: process.stderr,
};

const code = await runCli(process.argv, context);
if (code !== 0) process.exitCode = code;
