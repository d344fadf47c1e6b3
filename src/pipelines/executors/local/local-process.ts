import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StepOutputs } from '../../steps/step-types.js';
import type { AttemptResult, StepIo, StepTask } from '../executor.js';
import { CANCEL_REASON, TIMEOUT_REASON } from '../executor.js';
import { parseOutputLines, valueOutput } from '../output-values.js';
import {
  HOST,
  cpuMsFromStat,
  groupRssBytes,
  killGroup,
  processStartTime,
  signalGroup,
} from './process-tree.js';

/** How often a running command's memory is sampled. */
const RSS_SAMPLE_MS = 200;

/**
 * The wrapper every command runs under: the command in a subshell, so the wrapper (the
 * process group leader) waits for it and its /proc stat then holds the command's CPU time.
 */
const WRAPPER =
  'read -r __gyre_go || exit 111; exec </dev/null; ( eval "$GYRE_STEP_COMMAND" ); __gyre_rc=$?; cat /proc/$$/stat > "$GYRE_STEP_STAT" 2>/dev/null; exit $__gyre_rc';

const envName = (name: string) => `GYRE_INPUT_${name.toUpperCase().replace(/[^A-Z0-9]/g, '_')}`;
const asText = (v: unknown) =>
  v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v);

/** Reads `name=value` lines a command wrote to $GYRE_OUTPUTS. */
async function readOutputFile(file: string): Promise<Map<string, string>> {
  if (!existsSync(file)) return new Map();
  return parseOutputLines((await readFile(file, 'utf8')).split('\n'));
}

/** Collects the declared outputs of a finished command; throws naming a missing one. */
async function collectOutputs(task: StepTask, dir: string, io: StepIo): Promise<StepOutputs> {
  const written = await readOutputFile(join(dir, 'outputs.env'));
  const outputs: StepOutputs = {};
  for (const [name, spec] of Object.entries(task.outputs)) {
    if (spec.type === 'artifact') {
      const path = join(dir, 'out', spec.path ?? name);
      if (!existsSync(path))
        throw new Error(
          `declared output ${name} was not written to $GYRE_OUTPUT_DIR/${spec.path ?? name}`,
        );
      outputs[name] = await io.publishArtifact(name, path);
      continue;
    }
    outputs[name] = valueOutput(name, spec.type, written);
  }
  return outputs;
}

/**
 * Runs a `run` step as a child process in its own process group (so cancellation and
 * timeouts kill everything it started), streaming its output to the step log.
 */
export async function runProcessStep(
  task: StepTask,
  io: StepIo,
  workDir: string,
): Promise<AttemptResult> {
  const started = Date.now();
  await mkdir(join(workDir, 'out'), { recursive: true });
  const inputsFile = join(workDir, 'inputs.json');
  await writeFile(inputsFile, JSON.stringify(task.inputs));
  const statFile = join(workDir, 'stat');
  const env: Record<string, string> = {
    // A command inherits the environment as any child process would (PATH, HOME, ...).
    ...(process.env as Record<string, string>),
    ...Object.fromEntries(Object.entries(task.inputs).map(([k, v]) => [envName(k), asText(v)])),
    ...task.env,
    GYRE_INPUTS: inputsFile,
    GYRE_OUTPUT_DIR: join(workDir, 'out'),
    GYRE_OUTPUTS: join(workDir, 'outputs.env'),
    GYRE_STEP: task.step,
    GYRE_PIPELINE_RUN_ID: task.runId,
    GYRE_STEP_COMMAND: task.command ?? 'true',
    GYRE_STEP_STAT: statFile,
  };
  const child = spawn('/bin/sh', ['-c', WRAPPER], {
    cwd: task.cwd && existsSync(task.cwd) ? task.cwd : workDir,
    env,
    detached: true,
    // stdin carries the go-ahead: the command starts once its process is on record.
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>(
    (resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code, signal) => resolve({ code, signal }));
    },
  );
  const closed = new Promise<void>((resolve) => child.once('close', () => resolve()));
  child.stdin!.on('error', () => {}); // a command that died at once closed its end
  child.stdout!.on('data', (chunk: Buffer) => io.log(chunk.toString()));
  child.stderr!.on('data', (chunk: Buffer) => io.log(chunk.toString()));
  const pgid = child.pid!;
  let peakRss = 0;
  let sampling = true;
  // Sampling scans /proc, so it starts only once a step has run for a while: a quick
  // command costs nothing extra (and has no peak recorded).
  const sample = async (): Promise<void> => {
    for (;;) {
      await new Promise((r) => setTimeout(r, RSS_SAMPLE_MS).unref());
      if (!sampling) return;
      peakRss = Math.max(peakRss, await groupRssBytes(pgid));
    }
  };
  if (child.pid !== undefined) {
    const procStart = await processStartTime(pgid);
    try {
      await io.onProcess({ host: HOST, pid: pgid, pgid, ...(procStart ? { procStart } : {}) });
      child.stdin!.end('go\n');
    } catch (error) {
      // Not on record, so it must not run: EOF makes the wrapper exit before the command.
      child.stdin!.end();
      io.log(`[gyre] could not record the step's process: ${(error as Error).message}\n`);
    }
    void sample();
  }
  const onAbort = () => void killGroup(pgid);
  io.signal.addEventListener('abort', onAbort, { once: true });
  let exit: { code: number | null; signal: NodeJS.Signals | null };
  try {
    exit = await exited;
  } catch (error) {
    sampling = false;
    return {
      status: 'failed',
      error: `could not start: ${(error as Error).message}`,
      outputs: {},
      usage: { wallMs: Date.now() - started },
    };
  } finally {
    io.signal.removeEventListener('abort', onAbort);
  }
  sampling = false;
  // Whatever the command left running in its group ends with it; then its pipes close and
  // the last of its output has been read.
  signalGroup(pgid, 'SIGKILL');
  await closed;
  const stat = await readFile(statFile, 'utf8').catch(() => undefined);
  const usage = {
    wallMs: Date.now() - started,
    ...(stat && cpuMsFromStat(stat) !== undefined ? { cpuMs: cpuMsFromStat(stat) } : {}),
    ...(peakRss > 0 ? { peakRssBytes: peakRss } : {}),
  };
  if (io.signal.aborted) {
    const timedOut = io.signal.reason === TIMEOUT_REASON;
    return {
      status: timedOut ? 'timed_out' : 'cancelled',
      error: timedOut ? 'timed out' : CANCEL_REASON,
      outputs: {},
      usage,
      ...(exit.code !== null ? { exitCode: exit.code } : {}),
    };
  }
  if (exit.code !== 0) {
    return {
      status: 'failed',
      exitCode: exit.code ?? undefined,
      error: exit.code === null ? `killed by ${exit.signal}` : `exit code ${exit.code}`,
      outputs: {},
      usage,
    };
  }
  try {
    return {
      status: 'succeeded',
      exitCode: 0,
      outputs: await collectOutputs(task, workDir, io),
      usage,
    };
  } catch (error) {
    return { status: 'failed', exitCode: 0, error: (error as Error).message, outputs: {}, usage };
  }
}
