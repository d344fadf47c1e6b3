import type { Command } from 'commander';
import { existsSync } from 'node:fs';
import { mkdir, readdir, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { FailedPreconditionError } from '../core/index.js';
import type { CliContext } from './context.js';
import { runDemo, type DemoSummary } from './demo/run-demo.js';

/** Marks a directory as the demo's own, so a new demo may wipe it (and nothing else). */
const MARKER = '.gyre-demo-home';

export function registerDemoCommand(program: Command, ctx: CliContext): void {
  program
    .command('demo')
    .description(
      'the closed loop as a story: train, deploy, simulate traffic, drift, retrain, canary, promote or roll back (its own home; `gyre up` is the plain server)',
    )
    .option('--fast', 'the whole story in about a minute, then exit (an end-to-end check)')
    .option('--json', 'print a JSON summary on stdout (the live view goes to stderr)')
    .option('--port <port>', 'port of the API and the model server (default 7070; 0 picks one)')
    .option('--dir <dir>', "the demo's own Gyre home, wiped at each start", '.gyre-demo')
    .option('--seed <n>', 'seed of the synthetic transactions', '7')
    .addHelpText(
      'after',
      '\nnpm start runs `gyre demo`. Ctrl-C stops it. The data are synthetic card transactions\n(see src/cli/demo/transactions.ts); nothing touches your own .gyre home.\n',
    )
    .action(
      async (options: {
        fast?: boolean;
        json?: boolean;
        port?: string;
        dir: string;
        seed: string;
      }) => {
        const home = resolve(options.dir);
        await prepareHome(home);
        const config = ctx.loadConfig({
          home,
          'database.url': `sqlite:${join(home, 'gyre.db')}`,
          'artifacts.root': join(home, 'artifacts'),
          'server.port': { flag: '--port', value: options.port },
          'log.level': 'error',
          // Logged predictions reach the monitor and the canary analysis within a second, and
          // the rollout driver looks for due steps often: the story waits on Gyre, not on timers.
          'serving.predictionLog.flushIntervalMs': '500',
          'monitoring.rolloutIntervalMs': '250',
          // A model retrained on shifted data is meant to predict differently from the stale one
          // it replaces: the canary analysis judges it on realized performance (labels come back).
          'monitoring.canaryPredictionDrift': 'false',
          // Training runs beside serving on the same cores: p99 jitters by tens of milliseconds.
          'monitoring.canaryLatencySlackMs': '250',
        });
        const out = options.json ? ctx.stderr : ctx.stdout;
        const aborted = new AbortController();
        process.once('SIGINT', () => aborted.abort());
        await ctx.serve(config, {
          landingZones: true,
          withInference: true,
          onListening: (url, running) => {
            if (!running) return;
            void runDemo(running.gyre, {
              fast: options.fast === true,
              seed: Number(options.seed) || 7,
              home,
              url,
              out,
              tty: out === ctx.stderr ? ctx.stderr.isTTY === true : process.stdout.isTTY === true,
              signal: aborted.signal,
            }).then(
              async (summary) => {
                out.write(finalSummary(summary));
                if (options.json) ctx.stdout.write(`${JSON.stringify(summary)}\n`);
                if (options.fast) {
                  aborted.abort();
                  await running.stop(0);
                }
              },
              async (error: unknown) => {
                if (aborted.signal.aborted) return;
                ctx.stderr.write(`gyre: demo failed: ${(error as Error).message}\n`);
                aborted.abort();
                await running.stop(1);
              },
            );
          },
        });
      },
    );
}

async function prepareHome(home: string): Promise<void> {
  if (existsSync(home)) {
    const entries = await readdir(home);
    if (entries.length > 0 && !entries.includes(MARKER))
      throw new FailedPreconditionError(
        `${home} is not empty and is not a demo home: choose another --dir (the demo wipes its home at each start)`,
        { field: 'dir' },
      );
    await rm(home, { recursive: true, force: true });
  }
  await mkdir(home, { recursive: true });
  await writeFile(
    join(home, MARKER),
    'created by gyre demo; removed and recreated at each start\n',
  );
}

function finalSummary(s: DemoSummary): string {
  const lines = [
    '',
    `The loop turned in ${(s.durationMs / 1000).toFixed(1)}s: ${s.versions.join(' → ')}`,
    ...s.canaries.map(
      (c) =>
        `  canary ${c.version}: ${c.outcome} (AUC ${c.candidateAuc?.toFixed(3) ?? 'n/a'} vs stable ${c.primaryAuc?.toFixed(3) ?? 'n/a'})`,
    ),
    `  loop latency (new data file landed → retrained model serving as canary): ${s.loopLatencyMs !== undefined ? `${(s.loopLatencyMs / 1000).toFixed(1)}s` : 'n/a'}`,
    `  ${s.requests} requests${s.errors ? ` (${s.errors} failed)` : ', none failed'}`,
    ...s.skipped.map((x) => `  skipped: ${x}`),
    '',
    'Look at:',
    ...Object.entries(s.urls).map(([k, v]) => `  ${k.padEnd(12)} ${v}`),
    '',
  ];
  return `${lines.join('\n')}\n`;
}
