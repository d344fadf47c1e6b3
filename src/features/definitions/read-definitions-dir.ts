import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { InvalidArgumentError } from '../../core/index.js';
import type { Definition } from './definition-schema.js';
import {
  definitionsError,
  parseDefinitionsYaml,
  type DefinitionIssue,
} from './parse-definitions.js';

/** Definitions read from files, each with the file it came from (for messages). */
export interface LocatedDefinition {
  definition: Definition;
  file: string;
}

async function yamlFiles(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  )) {
    if (entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await yamlFiles(path)));
    else if (/\.ya?ml$/.test(entry.name)) out.push(path);
  }
  return out;
}

/**
 * Reads every `*.yaml` / `*.yml` under `path` (or the one file it names). Every problem of
 * every file is reported at once, each naming its file, line and field; a name defined twice
 * names both files.
 */
export async function readDefinitionsDir(path: string): Promise<LocatedDefinition[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info) throw new InvalidArgumentError(`${path} does not exist`, { field: 'dir' });
  const files = info.isDirectory() ? await yamlFiles(path) : [path];
  if (files.length === 0)
    throw new InvalidArgumentError(`no .yaml or .yml files under ${path}`, { field: 'dir' });
  const located: LocatedDefinition[] = [];
  const issues: DefinitionIssue[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    const shown = info.isDirectory() ? relative(path, file) : file;
    const parsed = parseDefinitionsYaml(await readFile(file, 'utf8'), shown);
    issues.push(...parsed.issues);
    for (const definition of parsed.definitions) {
      const key = `${definition.kind} ${definition.name}`;
      const first = seen.get(key);
      if (first !== undefined)
        issues.push({
          file: shown,
          field: `${definition.name}.name`,
          message: `${key} is also defined in ${first}`,
        });
      seen.set(key, shown);
      located.push({ definition, file: shown });
    }
  }
  if (issues.length > 0) throw definitionsError(issues);
  return located;
}
