// Process entry: run the CLI with the real composition root, config and streams.
import { readFileSync } from 'node:fs';
import { destination, pino } from 'pino';
import { runCli } from './cli/index.js';
import { loadConfig } from './config/index.js';
import { LOG_REDACTION } from './core/index.js';
import { createGyre } from './gyre.js';
import { sharedEndpoint } from './pipelines/index.js';

const { version } = JSON.parse(
  readFileSync(new URL('../package.json', import.meta.url), 'utf8'),
) as { version: string };

// A reader that stops early (`gyre runs show … | head`) closes the pipe: end quietly.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

process.exitCode = await runCli(process.argv, {
  version,
  loadConfig: (overrides) => loadConfig({ overrides }),
  // One-shot commands log to stderr at warn and above; their output is for the user.
  open: (config) =>
    createGyre(config, {
      logger: pino({ level: 'warn', redact: LOG_REDACTION }, destination(2)),
      // Pipeline steps call back to the API: with no server up, serve it on loopback meanwhile.
      apiEndpoint: (gyre) =>
        sharedEndpoint(async () =>
          (await import('./server/index.js')).serveApiOnLoopback(gyre, { version }),
        ),
    }),
  serve: async (config, options) => {
    // The HTTP stack loads only for the commands that serve, keeping the others quick to start.
    const { serveGyre } = await import('./server/index.js');
    const logger = pino({
      level: config.log.level,
      base: { service: 'gyre' },
      // Secrets in log fields (credentials, tokens, the database URL) are masked at the source.
      redact: LOG_REDACTION,
    });
    const gyre = await createGyre(config, { logger });
    try {
      await serveGyre(gyre, { ...options, version, logger });
    } catch (error) {
      await gyre.close();
      throw error;
    }
  },
  stdout: process.stdout,
  stderr: process.stderr,
});
