import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { GYRE_BIN, runGyre } from './fixtures/gyre-process.js';

const cwd = mkdtempSync(join(tmpdir(), 'gyre-cli-'));
afterAll(() => rmSync(cwd, { recursive: true, force: true }));

const gyre = (args: string[], env: Record<string, string> = {}) => runGyre(args, { cwd, env });

describe('gyre CLI', () => {
  it('prints its version as JSON', async () => {
    const res = await gyre(['version', '--json']);
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      gyre: expect.stringMatching(/^\d+\.\d+\.\d+/),
      node: process.versions.node,
    });
  });

  it('prints the effective config with secrets masked', async () => {
    const res = await gyre(['config', '--json'], {
      GYRE_DATABASE_URL: 'postgres://gyre:hunter2@db/gyre',
    });
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({
      'database.url': 'postgres://gyre:****@db/gyre',
      'server.port': '7070',
    });
  });

  it('fails on a bad config value with one line naming the key, no stack trace', async () => {
    const res = await gyre(['server'], { GYRE_PORT: 'seventy' });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'gyre: invalid config server.port (GYRE_PORT): must be an integer from 0 to 65535, got "seventy"\n',
    );
  });

  it('names the flag, or the file and line, that gave a bad value', async () => {
    const flag = await gyre(['server', '--port', 'seventy'], { GYRE_PORT: '8080' });
    expect(flag.code).toBe(1);
    expect(flag.stderr).toBe(
      'gyre: invalid config server.port (--port): must be an integer from 0 to 65535, got "seventy"\n',
    );
    const file = join(mkdtempSync(join(tmpdir(), 'gyre-cli-yaml-')), 'gyre.yaml');
    writeFileSync(file, 'server:\n  prot: 8080\n');
    const typo = await gyre(['config'], { GYRE_CONFIG: file });
    expect(typo.code).toBe(1);
    expect(typo.stderr).toBe(
      `gyre: config file ${file} line 2: unknown key server.prot; did you mean \`port\`?\n`,
    );
  });

  it('adds the stack trace with --debug', async () => {
    const res = await gyre(['--debug', 'server'], { GYRE_PORT: 'seventy' });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/^gyre: invalid config server\.port/);
    expect(res.stderr).toContain('    at ');
  });

  it('reports usage errors in the one `gyre:` format, suggesting the nearest command', async () => {
    const res = await gyre(['modles', 'list']);
    expect(res.code).toBe(1);
    expect(res.stderr.split('\n')[0]).toBe(
      "gyre: unknown command 'modles'\n(Did you mean models?)".split('\n')[0],
    );
    expect(res.stderr).toContain('(Did you mean models?)');
    const option = await gyre(['runs', 'list', '--experimnt', '1']);
    expect(option.code).toBe(1);
    expect(option.stderr).toMatch(
      /^gyre: unknown option '--experimnt'\n\(Did you mean --experiment\?\)/,
    );
  });

  it('ends quietly when its reader closes the pipe early', async () => {
    const child = spawn(process.execPath, [GYRE_BIN, '--help'], {
      cwd,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    // Close the read end before the CLI has written anything: its first write hits EPIPE.
    child.stdout!.destroy();
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(stderr).toBe('');
    expect(code).toBe(0);
  });

  it('refuses read commands where there is no Gyre home, and creates one only to write', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'gyre-no-home-'));
    try {
      const read = await runGyre(['models', 'list'], { cwd: empty });
      expect(read.code).toBe(1);
      expect(read.stderr).toBe(
        `gyre: no Gyre home found at ${join(empty, '.gyre')} (no database at ${join(empty, '.gyre', 'gyre.db')}): run where .gyre is, or point at a home with --home <dir> or GYRE_HOME\n`,
      );
      expect(existsSync(join(empty, '.gyre'))).toBe(false);
      const write = await runGyre(['experiments', 'create', 'first'], { cwd: empty });
      expect(write).toMatchObject({ code: 0, stdout: '1\n' });
      const elsewhere = await runGyre(['--home', join(empty, '.gyre'), 'experiments', 'list'], {
        cwd,
      });
      expect(elsewhere.stdout).toMatch(/1\s+first\s+active/);
    } finally {
      rmSync(empty, { recursive: true, force: true });
    }
  });

  it('names an experiment that does not exist instead of listing nothing', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gyre-runs-e-'));
    try {
      await runGyre(['experiments', 'create', 'x'], { cwd: home });
      const res = await runGyre(['runs', 'list', '-e', '99'], { cwd: home });
      expect(res).toMatchObject({
        code: 1,
        stdout: '',
        stderr: 'gyre: No Experiment with id=99 exists\n',
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });

  it('says which metadata database it cannot reach, password masked, and what to check', async () => {
    const res = await gyre(['models', 'list'], {
      GYRE_DATABASE_URL: 'postgres://alice:S3cretPW@127.0.0.1:1/gyre',
    });
    expect(res.code).toBe(1);
    expect(res.stderr).toBe(
      'gyre: cannot reach the metadata database at postgres://alice:****@127.0.0.1:1/gyre (connect ECONNREFUSED 127.0.0.1:1): check that it is running and that database.url (GYRE_DATABASE_URL) points at it\n',
    );
  });

  it('refuses to serve beyond loopback without authentication, saying how to set it up', async () => {
    const home = mkdtempSync(join(tmpdir(), 'gyre-open-'));
    try {
      const open = await runGyre(['server', '--host', '0.0.0.0', '--port', '0'], { cwd: home });
      expect(open.code).toBe(1);
      expect(open.stderr).toBe(
        'gyre: refusing to serve on 0.0.0.0 without authentication: set auth.enabled (GYRE_AUTH_ENABLED=true) and create the first admin token with `gyre tokens create --name admin --role admin`\n',
      );
      const noAdmin = await runGyre(['server', '--port', '0'], {
        cwd: home,
        env: { GYRE_AUTH_ENABLED: 'true' },
      });
      expect(noAdmin.stderr).toBe(
        'gyre: authentication is on but no admin token exists: create one with `gyre tokens create --name admin --role admin`\n',
      );
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
