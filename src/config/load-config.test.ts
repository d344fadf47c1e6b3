import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { describeConfig } from './describe-config.js';
import { loadConfig } from './load-config.js';

const cwd = mkdtempSync(join(tmpdir(), 'gyre-config-'));

describe('loadConfig', () => {
  it('defaults to the embedded shape under ./.gyre on loopback:7070', () => {
    const config = loadConfig({ env: {}, cwd });
    expect(config.home).toBe(join(cwd, '.gyre'));
    expect(config.database.url).toBe(`sqlite:${join(cwd, '.gyre', 'gyre.db')}`);
    expect(config.artifacts.root).toBe(join(cwd, '.gyre', 'artifacts'));
    expect(config.server).toMatchObject({ host: '127.0.0.1', port: 7070, drainDelayMs: 5000 });
  });

  it('places the database and artifacts under GYRE_HOME', () => {
    const config = loadConfig({ env: { GYRE_HOME: '/srv/gyre' }, cwd });
    expect(config.database.url).toBe('sqlite:/srv/gyre/gyre.db');
    expect(config.artifacts.root).toBe('/srv/gyre/artifacts');
  });

  it('reads gyre.yaml and lets the environment win over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-yaml-'));
    writeFileSync(
      join(dir, 'gyre.yaml'),
      'server:\n  port: 8080\n  host: 0.0.0.0\nartifacts:\n  root: s3://bucket/prefix\n',
    );
    const config = loadConfig({ env: { GYRE_PORT: '9090' }, cwd: dir });
    expect(config.server).toMatchObject({ host: '0.0.0.0', port: 9090 });
    expect(config.artifacts.root).toBe('s3://bucket/prefix');
  });

  it.each([
    [
      { GYRE_PORT: 'abc' },
      'invalid config server.port (GYRE_PORT): must be an integer from 0 to 65535, got "abc"',
    ],
    [
      { GYRE_PORT: '70000' },
      'invalid config server.port (GYRE_PORT): must be an integer from 0 to 65535, got "70000"',
    ],
    [
      { GYRE_DATABASE_URL: 'mysql://x' },
      'invalid config database.url (GYRE_DATABASE_URL): must start with sqlite: or postgres://, got "mysql://x"',
    ],
    [
      { GYRE_LOG_LEVEL: 'loud' },
      'invalid config log.level (GYRE_LOG_LEVEL): must be one of trace, debug, info, warn, error, fatal, silent, got "loud"',
    ],
    [
      { AWS_ENDPOINT_URL_S3: 'not a url' },
      'invalid config s3.endpoint (AWS_ENDPOINT_URL_S3): must be a URL such as http://127.0.0.1:9000, got "not a url"',
    ],
  ])('fails on %j with one line naming the key and what is allowed', (env, message) => {
    expect(() => loadConfig({ env, cwd })).toThrow(message);
    try {
      loadConfig({ env, cwd });
    } catch (error) {
      expect((error as Error).message).not.toContain('\n');
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
    }
  });

  it.each([
    [{ GYRE_DATABASE_URL: 'mysql://alice:S3cretPW@h/db' }, 'got "mysql://alice:****@h/db"'],
    [{ GYRE_DATABASE_URL: 'mysql://h/db?password=S3cretPW' }, 'got "mysql://h/db?password=****"'],
    [{ GYRE_DATABASE_URL: 'alice:S3cretPW@h/db' }, 'got "****@h/db"'],
    [{ AWS_ENDPOINT_URL_S3: 'http://key:S3cretPW@minio:port' }, 'got "http://****@minio:port"'],
  ])('masks secrets in the value it names when refusing %j', (env, shown) => {
    expect(() => loadConfig({ env, cwd })).toThrow(shown);
    expect(() => loadConfig({ env, cwd })).not.toThrow(/S3cretPW/);
  });

  it('never echoes a refused secret setting', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-yaml-'));
    writeFileSync(join(dir, 'gyre.yaml'), 's3:\n  secretAccessKey: 98765432\n');
    expect(() => loadConfig({ env: {}, cwd: dir })).toThrow(
      /invalid config s3\.secretAccessKey \(.*gyre\.yaml line 2\): .*, got \*\*\*\*$/,
    );
  });

  /** Writes `text` as gyre.yaml in a fresh directory; returns the file's path. */
  function yamlFile(text: string): string {
    const path = join(mkdtempSync(join(tmpdir(), 'gyre-yaml-')), 'gyre.yaml');
    writeFileSync(path, text);
    return path;
  }

  /** The one-line message loadConfig fails with (and that it is INVALID_ARGUMENT). */
  function failure(options: Parameters<typeof loadConfig>[0]): string {
    try {
      loadConfig(options);
    } catch (error) {
      expect(error).toMatchObject({ code: 'INVALID_ARGUMENT' });
      expect((error as Error).message).not.toContain('\n');
      return (error as Error).message;
    }
    throw new Error('loadConfig did not fail');
  }

  it('names the line and column of a config file that is not YAML, with the reason', () => {
    const path = yamlFile('server: [unclosed');
    expect(failure({ env: {}, file: path })).toBe(
      `config file ${path} is not valid YAML at line 1, column 18: Flow sequence in block collection must be sufficiently indented and end with a ]`,
    );
    expect(failure({ env: {}, file: yamlFile('server:\n  port: 8080\n\thost: x\n') })).toMatch(
      /is not valid YAML at line 3, column 1: Tabs are not allowed as indentation$/,
    );
    expect(
      failure({ env: {}, file: yamlFile('log:\n  level: info\nlog:\n  level: warn\n') }),
    ).toMatch(/is not valid YAML at line 3, column 1: Map keys must be unique$/);
  });

  it('refuses an unknown key with its line and the nearest known key', () => {
    const path = yamlFile('# Gyre\nserver:\n  host: 0.0.0.0\n  prot: 8080\n');
    expect(failure({ env: {}, file: path })).toBe(
      `config file ${path} line 4: unknown key server.prot; did you mean \`port\`?`,
    );
    expect(failure({ env: {}, file: yamlFile('sever:\n  port: 1\n') })).toMatch(
      /line 1: unknown key sever; did you mean `server`\?$/,
    );
    expect(failure({ env: {}, file: yamlFile('home: x\nport: 8080\n') })).toMatch(
      /line 2: unknown key port; did you mean `server.port`\?$/,
    );
    expect(failure({ env: {}, file: yamlFile('log:\n  colour: red\n') })).toMatch(
      /line 2: unknown key log.colour \(known here: level\)$/,
    );
    expect(failure({ env: {}, file: yamlFile('server: 8080\n') })).toMatch(
      /line 1: server must be a mapping of host, port, bodyLimitBytes, shutdownTimeoutMs, allowedHosts, drainDelayMs$/,
    );
  });

  it('accepts empty files and empty sections', () => {
    expect(loadConfig({ env: {}, file: yamlFile('') }).server.port).toBe(7070);
    expect(loadConfig({ env: {}, file: yamlFile('server:\n# later\n') }).server.port).toBe(7070);
  });

  it('names where an invalid value came from: the file and line, the variable or the flag', () => {
    const path = yamlFile('home: .gyre\nserver:\n  port: 70000\n');
    expect(failure({ env: {}, file: path })).toBe(
      `invalid config server.port (${path} line 3): must be an integer from 0 to 65535, got 70000`,
    );
    // The environment wins over the file, and so is what the message names.
    expect(failure({ env: { GYRE_PORT: 'x' }, file: path })).toMatch(
      /^invalid config server\.port \(GYRE_PORT\): .*, got "x"$/,
    );
    expect(
      failure({
        env: { GYRE_PORT: '8080' },
        cwd,
        overrides: { 'server.port': { flag: '--port', value: 'eighty' } },
      }),
    ).toBe('invalid config server.port (--port): must be an integer from 0 to 65535, got "eighty"');
    // A flag that was not given leaves the value where it came from.
    expect(
      loadConfig({
        env: { GYRE_PORT: '8080' },
        cwd,
        overrides: { 'server.port': { flag: '--port', value: undefined } },
      }).server.port,
    ).toBe(8080);
  });
});

describe('describeConfig', () => {
  it('masks passwords in database URLs and secret keys', () => {
    const config = loadConfig({
      env: {
        GYRE_DATABASE_URL: 'postgres://gyre:hunter2@db:5432/gyre',
        AWS_SECRET_ACCESS_KEY: 'abc123',
        AWS_ACCESS_KEY_ID: 'AKIA',
      },
      cwd,
    });
    const shown = Object.fromEntries(describeConfig(config).map((s) => [s.key, s.value]));
    expect(shown['database.url']).toBe('postgres://gyre:****@db:5432/gyre');
    expect(shown['s3.secretAccessKey']).toBe('****');
    expect(shown['s3.accessKeyId']).toBe('AKIA');
    expect(JSON.stringify(shown)).not.toContain('hunter2');
  });
});
