import { existsSync, readFileSync } from 'node:fs';
import { isAbsolute, resolve } from 'node:path';
import { parse as parseYaml } from 'yaml';
import { InvalidArgumentError } from '../core/index.js';
import { maskSettingValue } from './describe-config.js';
import { configSchema, SETTINGS, type GyreConfig } from './schema.js';

export interface LoadConfigOptions {
  env?: NodeJS.ProcessEnv;
  cwd?: string;
  /** Explicit gyre.yaml path; otherwise GYRE_CONFIG or ./gyre.yaml when present. */
  file?: string;
  /** Values that win over everything (e.g. CLI flags such as --port). */
  overrides?: Record<string, string | number | boolean | undefined>;
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

function readYaml(path: string): Tree {
  let parsed: unknown;
  try {
    parsed = parseYaml(readFileSync(path, 'utf8'));
  } catch (error) {
    throw new InvalidArgumentError(
      `config file ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`,
    );
  }
  if (parsed === null || parsed === undefined) return {};
  if (typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new InvalidArgumentError(`config file ${path} must hold a mapping of settings`);
  }
  return parsed as Tree;
}

/**
 * Builds the effective configuration: defaults, then gyre.yaml, then environment variables,
 * then explicit overrides. The first invalid value throws an InvalidArgumentError whose
 * message is one line naming the key, its variable and what is allowed.
 */
export function loadConfig(options: LoadConfigOptions = {}): GyreConfig {
  const env = options.env ?? process.env;
  const cwd = options.cwd ?? process.cwd();
  const tree: Tree = {};
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
    const yaml = readYaml(path);
    for (const s of SETTINGS) {
      const value = s.key
        .split('.')
        .reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], yaml);
      if (value !== undefined && value !== null) setPath(tree, s.key, value);
    }
  }
  for (const s of SETTINGS) {
    const value = env[s.env];
    if (value !== undefined && value !== '') setPath(tree, s.key, value);
  }
  for (const [key, value] of Object.entries(options.overrides ?? {})) {
    if (value !== undefined) setPath(tree, key, value);
  }

  const result = configSchema.safeParse(tree);
  if (!result.success) {
    const issue = result.error.issues[0];
    const key = issue.path.join('.');
    const setting = SETTINGS.find((s) => s.key === key);
    const given = key
      .split('.')
      .reduce<unknown>((node, part) => (node as Tree | undefined)?.[part], tree);
    const source = setting ? `${key} (${setting.env})` : key;
    const secret = setting?.secret ?? false;
    // The refused value is echoed to help fix it, but never a password or key it holds.
    const shown =
      typeof given === 'string'
        ? JSON.stringify(maskSettingValue(given, secret))
        : secret
          ? '****'
          : JSON.stringify(given);
    throw new InvalidArgumentError(`invalid config ${source}: ${issue.message}, got ${shown}`, {
      key,
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
  };
}
