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
      /invalid config s3\.secretAccessKey \(AWS_SECRET_ACCESS_KEY\): .*, got \*\*\*\*$/,
    );
  });

  it('names a config file that is not YAML', () => {
    const dir = mkdtempSync(join(tmpdir(), 'gyre-yaml-'));
    writeFileSync(join(dir, 'gyre.yaml'), 'server: [unclosed');
    expect(() => loadConfig({ env: {}, cwd: dir })).toThrow(
      /config file .*gyre\.yaml is not valid YAML/,
    );
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
