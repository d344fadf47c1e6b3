import { existsSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { InvalidArgumentError } from '../core/index.js';
import { maskSettingValue } from './describe-config.js';
import { readConfigFile } from './read-config-file.js';
import { configSchema, type GyreConfig } from './schema.js';
import { SETTINGS } from './settings.js';

type OverrideValue = string | number | boolean | undefined;

/** A command-line value with the flag that gave it, so an invalid value names the flag. */
export interface FlagValue {
  flag: string;
  value: OverrideValue;
}

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Explicit gyre.yaml path; otherwise GYRE_CONFIG or ./gyre.yaml when present. */
  file?: string;
  /** Values that win over everything (e.g. CLI flags such as --port), by dotted key. */
  overrides?: Record<string, OverrideValue | FlagValue>;
}

type Tree = Record<string, unknown>;

function setPath(tree: Tree, key: string, value: unknown): void {
  const parts = key.split('.');
  let node = tree;
  for (const part of parts.slice(0, -1)) {
    if (typeof node[part] !== 'object' || node[part] === null) node[part] = {};
    node = node[part] as Tree;
  }
  node[parts[parts.length - 1]] = value;
}

/**
 * Builds the effective configuration: defaults, then gyre.yaml, then environment variables,
 * then explicit overrides. The first invalid value throws an InvalidArgumentError whose
 * message is one line naming the key, where the value came from (the flag, the file and
 * line, or the environment variable) and what is allowed.
 */
export function loadConfig(options: LoadConfigOptions = {}): GyreConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const tree: Tree = {};
  // Where each key's value came from, for error messages; defaults have no entry.
  const sources = new Map<string, string>();
  for (const s of SETTINGS) {
    // Defaults that depend on other keys (<home>) are resolved after parsing.
    setPath(tree, s.key, s.default !== '' && !s.default.includes('<home>') ? s.default : undefined);
  }

  const file =
    options.file ??
    env.GYRE_CONFIG ??
    (existsSync(resolve(cwd, 'gyre.yaml')) ? 'gyre.yaml' : undefined);
  if (file) {
    const path = resolve(cwd, file);
    if (!existsSync(path))
      throw new InvalidArgumentError(`config file ${path} does not exist (GYRE_CONFIG)`);
    const known = SETTINGS.map((s) => s.key);
    for (const [key, { value, line }] of readConfigFile(path, known)) {
      setPath(tree, key, value);
      sources.set(key, `${path} line ${line}`);
    }
  }
  for (const s of SETTINGS) {
    const value = env[s.env];
    if (value !== undefined && value !== '') {
      setPath(tree, s.key, value);
      sources.set(s.key, s.env);
    }
  }
  for (const [key, given] of Object.entries(options.overrides ?? {})) {
    const { value, flag } = typeof given === 'object' ? given : { value: given, flag: 'override' };
    if (value !== undefined) {
      setPath(tree, key, value);
      sources.set(key, flag);
    }
  }

  const result = configSchema.safeParse(tree);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.join('.');
    const given = key
      .split('.')
      .reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);
    const from = sources.get(key);
    const source = from ? `${key} (${from})` : `${key} (default)`;
    const secret = SETTINGS.find((s) => s.key === key)?.secret ?? false;
    // The refused value is echoed to help fix it, but never a password or key it holds.
    const shown =
      typeof given === 'string'
        ? JSON.stringify(maskSettingValue(given, secret))
        : secret
          ? '****'
          : JSON.stringify(given);
    throw new InvalidArgumentError(`invalid config ${source}: ${issue.message}, got ${shown}`, {
      key,
      ...(from ? { source: from } : {}),
    });
  }

  const raw = result.data;
  const home = isAbsolute(raw.home) ? raw.home : resolve(cwd, raw.home);
  const artifactRoot = raw.artifacts.root ?? resolve(home, 'artifacts');
  return {
    ...raw,
    home,
    database: { ...raw.database, url: raw.database.url ?? `sqlite:${resolve(home, 'gyre.db')}` },
    artifacts: {
      root:
        /^[a-z][a-z0-9+.-]*:\/\//i.test(artifactRoot) || isAbsolute(artifactRoot)
          ? artifactRoot
          : resolve(cwd, artifactRoot),
    },
    data: { allowedSourceRoots: raw.data.allowedSourceRoots.map((root) => resolve(cwd, root)) },
  };
}
