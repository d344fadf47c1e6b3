import { readFileSync } from 'node:fs';
import { isMap, isNode, isScalar, LineCounter, parseDocument, type YAMLMap } from 'yaml';
import { InvalidArgumentError } from '../core/index.js';
import { nearestName } from './suggest-key.js';

/** A value read from gyre.yaml and the line its key is on (so errors can point at it). */
export interface FileValue {
  value: unknown;
  line: number;
}

type Tree = Record<string, unknown>;

/** The names one level below `prefix` ('' for the top level) among the dotted keys. */
function childNames(prefix: string, knownKeys: readonly string[]): string[] {
  const below = prefix === '' ? knownKeys : knownKeys.filter((k) => k.startsWith(`${prefix}.`));
  const depth = prefix === '' ? 0 : prefix.split('.').length;
  return [...new Set(below.map((k) => k.split('.')[depth]))];
}

/** "did you mean `port`?" for a misspelled sibling, or the full key for one in another place. */
function suggestion(key: string, name: string, siblings: string[], known: string[]): string {
  const sibling = nearestName(name, siblings);
  if (sibling) return `; did you mean \`${sibling}\`?`;
  const elsewhere = known.find((k) => k.endsWith(`.${name}`)) ?? nearestName(key, known);
  if (elsewhere) return `; did you mean \`${elsewhere}\`?`;
  return ` (known here: ${siblings.join(', ')})`;
}

/**
 * Reads gyre.yaml as dotted keys (`server.port`) with the line of each. Broken YAML is refused
 * with its line and column, and a key Gyre does not know with the nearest known one: a
 * misspelled key would otherwise be silently ignored and its default used.
 */
export function readConfigFile(path: string, knownKeys: readonly string[]): Map<string, FileValue> {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (error) {
    throw new InvalidArgumentError(
      `config file ${path} cannot be read: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      { file: path },
    );
  }
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const error = doc.errors[0];
  if (error) {
    const { line, col } = lineCounter.linePos(error.pos[0]);
    throw new InvalidArgumentError(
      `config file ${path} is not valid YAML at line ${line}, column ${col}: ${error.message}`,
      { file: path, line, column: col },
    );
  }
  const values = new Map<string, FileValue>();
  const root = doc.contents;
  if (root === null || (isScalar(root) && root.value === null)) return values;
  if (!isMap(root))
    throw new InvalidArgumentError(
      `config file ${path} must hold a mapping of settings (such as server: { port: 8080 })`,
      { file: path },
    );

  // Structure and lines come from the syntax tree; values from the plain JS form, which
  // resolves aliases and tags the same way the rest of YAML-reading code would.
  const known = [
    ...new Set(
      knownKeys.flatMap((k) => k.split('.').map((_, i, p) => p.slice(0, i + 1).join('.'))),
    ),
  ];
  const walk = (map: YAMLMap, plain: Tree, prefix: string): void => {
    const siblings = childNames(prefix, knownKeys);
    for (const pair of map.items) {
      const name = String(isScalar(pair.key) ? pair.key.value : pair.key);
      const key = prefix === '' ? name : `${prefix}.${name}`;
      const start = isNode(pair.key) && pair.key.range ? pair.key.range[0] : 0;
      const line = lineCounter.linePos(start).line;
      const where = `config file ${path} line ${line}`;
      const value = plain[name];
      if (knownKeys.includes(key)) {
        if (value !== null && value !== undefined) values.set(key, { value, line });
      } else if (known.includes(key)) {
        if (isMap(pair.value)) walk(pair.value, value as Tree, key);
        else if (value !== null && value !== undefined)
          throw new InvalidArgumentError(
            `${where}: ${key} must be a mapping of ${childNames(key, knownKeys).join(', ')}`,
            { file: path, line, key },
          );
      } else {
        throw new InvalidArgumentError(
          `${where}: unknown key ${key}${suggestion(key, name, siblings, known)}`,
          { file: path, line, key },
        );
      }
    }
  };
  walk(root, doc.toJS() as Tree, '');
  return values;
}
