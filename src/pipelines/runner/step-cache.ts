import { existsSync } from 'node:fs';
import { sha256Hex, sha256OfFile, type ArtifactStore } from '../../artifacts/index.js';
import type { DatasetService } from '../../data/index.js';
import type { RegistryService } from '../../registry/index.js';
import type { StepSpec } from '../spec/pipeline-spec.js';
import type { StepCatalog } from '../spec/step-catalog.js';
import { renderValue } from '../spec/templates.js';
import type { StepOutputs } from '../steps/step-types.js';
import { scopeLookup, type RunScope } from './run-scope.js';

/** JSON with sorted keys: equal values always hash equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

export interface CacheKeyInput {
  stepName: string;
  step: StepSpec;
  scope: RunScope;
  catalog: StepCatalog;
  datasets: DatasetService;
  /** The pipeline directory's code version (run steps) or Gyre's version (built-ins). */
  codeVersion?: string;
}

/**
 * The step cache key: sha256 over the resolved definition with every input replaced by its
 * content digest (upstream outputs, `file` params, dataset versions, files), the code
 * version and the step's own `cache_key`. Equal content gives an equal key, whatever run or
 * path it came from; one changed byte anywhere upstream gives another.
 */
export async function stepCacheKey(input: CacheKeyInput): Promise<string> {
  const { step, scope, catalog } = input;
  const withDigests = renderValue(step.with, scopeLookup(scope, true)) as Record<string, unknown>;
  const type = step.uses ? catalog.get(step.uses) : undefined;
  for (const [name, decl] of Object.entries(type?.inputs ?? {})) {
    const value = withDigests[name];
    if (typeof value !== 'string' || value.startsWith('sha256:')) continue;
    if (decl.type === 'dataset') {
      const version = await input.datasets.getVersion(value).catch(() => undefined);
      if (version) withDigests[name] = `sha256:${version.digest}`;
    } else if (decl.type === 'file' && existsSync(value)) {
      withDigests[name] = `sha256:${await sha256OfFile(value).catch(() => value)}`;
    }
  }
  return sha256Hex(
    canonicalJson({
      v: 1,
      uses: step.uses,
      run: step.run && renderValue(step.run, scopeLookup(scope, true)),
      image: step.image,
      with: withDigests,
      outputs: step.outputs,
      env: step.env,
      code: input.codeVersion,
      cacheKey: step.cacheKey,
    }),
  );
}

/**
 * Whether cached outputs still exist: an artifact deleted from the store, or a dataset or
 * model version deleted since, turns a hit into a miss.
 */
export async function cachedOutputsExist(
  outputs: StepOutputs,
  deps: { artifacts: ArtifactStore; datasets: DatasetService; registry: RegistryService },
): Promise<boolean> {
  for (const output of Object.values(outputs)) {
    if (output.type === 'artifact' && output.storePath !== undefined) {
      const stat = await deps.artifacts.stat(output.storePath);
      const listing = stat ? [] : await deps.artifacts.list(output.storePath).catch(() => []);
      if (!stat && listing.length === 0) return false;
    } else if (output.type === 'dataset' && typeof output.value === 'string') {
      if (!(await deps.datasets.getVersion(output.value).catch(() => undefined))) return false;
    } else if (output.type === 'model' && typeof output.value === 'string') {
      const m = /^models:\/([^/]+)\/([0-9]+)$/.exec(output.value);
      if (m && !(await deps.registry.getVersion(m[1], m[2]).catch(() => undefined))) return false;
    }
  }
  return true;
}
