import { InvalidArgumentError } from '../core/index.js';
import { MODEL_STAGES, type ModelStage } from './types.js';

/** What a `models:/` or `runs:/` URI names, before it is looked up. */
export type ParsedModelUri =
  | { kind: 'version'; name: string; version: number }
  | { kind: 'alias'; name: string; alias: string }
  | { kind: 'latest'; name: string }
  | { kind: 'stage'; name: string; stage: ModelStage }
  | { kind: 'run'; runId: string; path: string };

function invalid(uri: string, why: string): never {
  throw new InvalidArgumentError(`invalid model URI ${JSON.stringify(uri)}: ${why}`, {
    field: 'uri',
  });
}

/**
 * Parses the model URIs MLflow users write: `models:/name/3`, `models:/name@alias`,
 * `models:/name/latest`, `models:/name/Production` (any letter case), `runs:/<run id>/path`.
 */
export function parseModelUri(uri: string): ParsedModelUri {
  const run = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(uri);
  if (run) {
    if (!/^[A-Za-z0-9][\w-]{0,255}$/.test(run[1])) invalid(uri, 'the run id is malformed');
    return { kind: 'run', runId: run[1], path: (run[2] ?? '').replace(/\/+$/, '') };
  }
  if (!uri.startsWith('models:/'))
    invalid(
      uri,
      'use models:/<name>/<version|stage|latest>, models:/<name>@<alias> or runs:/<run id>/<path>',
    );
  const rest = uri.slice('models:/'.length);
  if (rest.startsWith('/')) invalid(uri, 'models:// with a registry profile is not supported');
  const alias = /^([^/]+)@([\w-]+)$/.exec(rest);
  if (alias) return { kind: 'alias', name: alias[1], alias: alias[2] };
  const parts = /^([^/]+)\/([^/]+)\/?$/.exec(rest);
  if (!parts)
    invalid(uri, 'expected models:/<name>/<version|stage|latest> or models:/<name>@<alias>');
  const [, name, suffix] = parts;
  if (/^\d+$/.test(suffix)) {
    const version = Number(suffix);
    if (version < 1) invalid(uri, 'versions start at 1');
    return { kind: 'version', name, version };
  }
  if (suffix.toLowerCase() === 'latest') return { kind: 'latest', name };
  const stage = MODEL_STAGES.find((s) => s.toLowerCase() === suffix.toLowerCase());
  if (stage) return { kind: 'stage', name, stage };
  return invalid(
    uri,
    `"${suffix}" is not a version number, "latest" or a stage (${MODEL_STAGES.join(', ')})`,
  );
}
