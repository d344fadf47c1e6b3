// The Dockerfile, checked offline (no container engine on these machines): the hadolint rules
// that apply to it, as assertions a change can break; then the image's entrypoint run the way
// the image runs it, in a clean directory holding only what the runtime stage copies.
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from './fixtures/data-files.js';

interface Instruction {
  op: string;
  args: string;
  line: number;
}
interface Stage {
  from: string;
  name?: string;
  instructions: Instruction[];
}

/** Splits a Dockerfile into stages of instructions (continuations joined, comments dropped). */
function parseDockerfile(text: string): { args: Map<string, string>; stages: Stage[] } {
  const args = new Map<string, string>();
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i + 1;
    let line = lines[i];
    if (/^\s*(#|$)/.test(line)) continue;
    while (line.endsWith('\\') && i + 1 < lines.length)
      line = `${line.slice(0, -1)} ${lines[++i].trim()}`;
    const m = /^\s*([A-Za-z]+)\s+(.*)$/.exec(line);
    if (!m) throw new Error(`line ${start}: not an instruction: ${line}`);
    const op = m[1].toUpperCase();
    const rest = m[2].trim();
    if (op === 'ARG' && stages.length === 0) {
      const [k, v] = rest.split('=');
      args.set(k, v ?? '');
      continue;
    }
    if (op === 'FROM') {
      const [image, , name] = rest.split(/\s+/);
      const from = image.replace(/\$\{(\w+)\}/g, (_, k: string) => args.get(k) ?? '');
      stages.push({ from, name, instructions: [] });
      continue;
    }
    stages.at(-1)?.instructions.push({ op, args: rest, line: start });
  }
  return { args, stages };
}

const BUILD_TOOLS = /\b(g\+\+|gcc|make|python3|build-essential|node-gyp|git)\b/;
const SECRET_NAME = /(SECRET|PASSWORD|PASSWD|TOKEN|PRIVATE|CREDENTIAL|ACCESS_KEY|API_KEY)/i;

/** The hadolint-style findings of a Dockerfile: an empty list when it passes. */
function lintDockerfile(text: string): string[] {
  const { stages } = parseDockerfile(text);
  const problems: string[] = [];
  if (stages.length < 2) problems.push('multi-stage: a build stage and a runtime stage');
  const names = new Set(stages.map((s) => s.name).filter(Boolean));
  for (const stage of stages) {
    // DL3006 / DL3007: a pinned tag, never latest.
    const tag = /^[^:@]+:([^@]+)/.exec(stage.from)?.[1];
    if (!tag) problems.push(`FROM ${stage.from}: tag the base image`);
    else if (tag === 'latest' || !/\d+\.\d+\.\d+/.test(tag))
      problems.push(`FROM ${stage.from}: pin an exact version, not ${tag}`);
    for (const { op, args, line } of stage.instructions) {
      const at = `line ${line}`;
      if (/:latest\b/.test(args)) problems.push(`${at}: no latest tags`);
      if (op === 'RUN' && /apt-get install/.test(args)) {
        if (!/--no-install-recommends/.test(args))
          problems.push(`${at}: apt-get install --no-install-recommends (DL3015)`);
        if (!/\s-y\b|--yes|--assume-yes/.test(args))
          problems.push(`${at}: apt-get install -y (DL3014)`);
        if (!/rm -rf \/var\/lib\/apt\/lists/.test(args))
          problems.push(`${at}: remove /var/lib/apt/lists after installing (DL3009)`);
      }
      if (op === 'RUN' && /\bsudo\b/.test(args)) problems.push(`${at}: no sudo (DL3004)`);
      if (op === 'RUN' && /\bnpm (install|i)\b/.test(args))
        problems.push(`${at}: npm ci from the lockfile`);
      if (op === 'ADD' && /https?:\/\//.test(args))
        problems.push(`${at}: COPY or curl, not ADD <url> (DL3020)`);
      if (op === 'WORKDIR' && !args.startsWith('/'))
        problems.push(`${at}: absolute WORKDIR (DL3000)`);
      if (op === 'COPY') {
        const from = /--from=(\S+)/.exec(args)?.[1];
        if (from && !names.has(from))
          problems.push(`${at}: COPY --from=${from} names no stage (DL3022)`);
      }
      if (op === 'ENV' || op === 'ARG')
        for (const key of args.match(/(^|\s)([A-Za-z_][A-Za-z0-9_]*)=/g) ?? [
          args.split(/[=\s]/)[0],
        ])
          if (SECRET_NAME.test(key)) problems.push(`${at}: no secrets in ${op} (${key.trim()})`);
    }
  }
  const final = stages.at(-1);
  if (final) {
    const ops = (op: string) => final.instructions.filter((i) => i.op === op);
    const user = ops('USER').at(-1)?.args;
    if (!user) problems.push('runtime stage: set USER (DL3002)');
    else if (/^(root|0)(:|$)/.test(user))
      problems.push('runtime stage: USER must not be root (DL3002)');
    if (ops('HEALTHCHECK').length !== 1) problems.push('runtime stage: one HEALTHCHECK');
    for (const op of ['ENTRYPOINT', 'CMD'])
      if (ops(op).some((i) => !i.args.startsWith('[')))
        problems.push(`${op} in exec (JSON) form (DL3025)`);
    for (const run of ops('RUN'))
      if (/apt-get install/.test(run.args) && BUILD_TOOLS.test(run.args))
        problems.push(`line ${run.line}: no build tools in the runtime stage`);
    for (const copy of ops('COPY'))
      if (!/--from=/.test(copy.args))
        problems.push(
          `line ${copy.line}: the runtime stage copies built files from the build stage only`,
        );
  }
  return problems;
}

const dockerfile = readFileSync(join(REPO_ROOT, 'Dockerfile'), 'utf8');
const parsed = parseDockerfile(dockerfile);
const runtime = parsed.stages.at(-1)!;
const json = (op: string): string[] =>
  JSON.parse(runtime.instructions.filter((i) => i.op === op).at(-1)!.args) as string[];

describe('Dockerfile', () => {
  it('passes the hadolint rules that apply to it', () => {
    expect(lintDockerfile(dockerfile)).toEqual([]);
  });

  it('has a linter that finds what hadolint would', () => {
    const bad = [
      'FROM node:latest',
      'RUN apt-get install python3 make',
      'ENV AWS_SECRET_ACCESS_KEY=abc',
      'USER root',
      'CMD node bin/gyre.js',
    ].join('\n');
    const found = lintDockerfile(bad).join('\n');
    for (const rule of [
      'multi-stage',
      'latest',
      'DL3015',
      'DL3009',
      'no secrets',
      'DL3002',
      'HEALTHCHECK',
      'DL3025',
      'build tools',
    ])
      expect(found).toContain(rule);
  });

  it('keeps secrets, dependencies and build output out of the build context', () => {
    const ignored = readFileSync(join(REPO_ROOT, '.dockerignore'), 'utf8').split('\n');
    for (const entry of ['**/node_modules', 'dist', '.git', '**/.env', '.gyre'])
      expect(ignored).toContain(entry);
  });

  it('runs as a fixed non-root uid with a writable home the manifests mount', () => {
    expect(runtime.instructions.find((i) => i.op === 'USER')?.args).toBe('10001:10001');
    expect(runtime.instructions.find((i) => i.op === 'VOLUME')?.args).toContain('/var/lib/gyre');
  });
});

describe('the image entrypoint in a clean directory', () => {
  const root = mkdtempSync(join(tmpdir(), 'gyre-image-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));
  const app = join(root, 'app');
  const home = join(root, 'home');

  // Lays out /app as the runtime stage's COPY lines do: the built dist, bin, package.json and
  // examples copied; node_modules linked (the image holds the pruned production set).
  for (const copy of runtime.instructions.filter((i) => i.op === 'COPY')) {
    const [source, target] = copy.args
      .split(/\s+/)
      .filter((a) => !a.startsWith('--'))
      .slice(-2);
    const from = join(REPO_ROOT, source.replace(/^\/app\//, ''));
    const to = join(app, target);
    if (source.endsWith('node_modules')) symlinkSync(from, to);
    else cpSync(from, to, { recursive: true });
  }

  const env = (): Record<string, string> => {
    const values: Record<string, string> = { PATH: process.env.PATH ?? '' };
    for (const i of runtime.instructions.filter((x) => x.op === 'ENV'))
      for (const m of i.args.matchAll(/([A-Za-z_][A-Za-z0-9_]*)=(\S+)/g)) values[m[1]] = m[2];
    // The volume and /tmp mounts of the container, here.
    return { ...values, GYRE_HOME: home, HOME: home, TMPDIR: tmpdir() };
  };
  // The image's command with /app where the test laid it out.
  const command = (args: string[]) =>
    [...json('ENTRYPOINT'), ...args].map((a) => a.replace(/^\/app\//, `${app}/`));

  const run = (args: string[], extra: Record<string, string> = {}) => {
    const [bin, ...rest] = command(args);
    const child = spawn(bin === 'node' ? process.execPath : bin, rest, {
      cwd: app,
      env: { ...env(), GYRE_DRAIN_DELAY_MS: '0', GYRE_LOG_LEVEL: 'warn', ...extra },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    return { child, out: () => stdout, err: () => stderr };
  };

  it('creates the first admin token, serves the default command and passes its HEALTHCHECK', async () => {
    const token = run(['tokens', 'create', '--name', 'admin', '--role', 'admin'], {
      GYRE_AUTH_ENABLED: 'true',
    });
    const [code] = (await once(token.child, 'exit')) as [number];
    expect(token.err()).not.toMatch(/error/i);
    expect(code).toBe(0);

    // CMD ["server"] binds 0.0.0.0 from the image's ENV; a free port instead of 7070 here.
    const server = run(json('CMD'), { GYRE_AUTH_ENABLED: 'true', GYRE_PORT: '0' });
    const exited = once(server.child, 'exit');
    const banner = / at http:\/\/[^:]+:(\d+)/;
    while (!banner.test(server.err())) {
      const next = await Promise.race([
        once(server.child.stderr, 'data'),
        exited.then(() => 'exit'),
      ]);
      if (next === 'exit') throw new Error(`the image command exited: ${server.err()}`);
    }
    const port = banner.exec(server.err())![1];

    const healthcheck = runtime.instructions.find((i) => i.op === 'HEALTHCHECK')!.args;
    const check = JSON.parse(healthcheck.slice(healthcheck.indexOf('CMD') + 3).trim()) as string[];
    const probe = spawn(process.execPath, check.slice(1), {
      env: { ...env(), GYRE_PORT: port },
      stdio: 'ignore',
    });
    expect((await once(probe, 'exit'))[0]).toBe(0);
    // Nothing listens there: the same check fails, so it can tell.
    const down = spawn(process.execPath, check.slice(1), {
      env: { ...env(), GYRE_PORT: '1', GYRE_SERVING_PORT: '1' },
      stdio: 'ignore',
    });
    expect((await once(down, 'exit'))[0]).toBe(1);

    server.child.kill('SIGTERM');
    expect((await exited)[0]).toBe(0);
  });
});
