import { isNode, LineCounter, parseAllDocuments } from 'yaml';
import type { z } from 'zod';
import { InvalidArgumentError } from '../../core/index.js';
import { definitionSchema, type Definition } from './definition-schema.js';

/** One problem in a definitions file: where (file, line, key path) and what. */
export interface DefinitionIssue {
  file: string;
  line?: number;
  field: string;
  message: string;
}

/** `features[1].type`, `source.inputs.tx`. */
export function formatPath(path: readonly PropertyKey[]): string {
  return path
    .filter((p): p is string | number => typeof p !== 'symbol')
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`))
    .join('');
}

function issuesOf(error: z.ZodError): { path: (string | number)[]; message: string }[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    if (issue.code === 'unrecognized_keys' && issue.keys.length > 0)
      return { path: [...path, issue.keys[0]], message: `unknown key "${issue.keys[0]}"` };
    if (issue.code === 'invalid_union' && path.length === 0 && 'note' in issue)
      return { path, message: 'kind must be entity, feature_view or feature_service' };
    return { path, message: issue.message };
  });
}

/** One InvalidArgumentError listing every issue with its file, line and field. */
export function definitionsError(issues: DefinitionIssue[]): InvalidArgumentError {
  const text = (i: DefinitionIssue) =>
    `${i.file}${i.line ? ` line ${i.line}` : ''}: ${i.field ? `${i.field}: ` : ''}${i.message}`;
  const head =
    issues.length === 1
      ? text(issues[0])
      : `${issues.length} problems in the feature definitions:\n  ${issues.map(text).join('\n  ')}`;
  return new InvalidArgumentError(head, {
    field: issues[0]?.field,
    file: issues[0]?.file,
    errors: issues,
  });
}

/** Validates one definition object; `file` and `lineOf` only locate problems. */
export function checkDefinition(
  raw: unknown,
  file: string,
  lineOf?: (path: (string | number)[]) => number | undefined,
): { definition?: Definition; issues: DefinitionIssue[] } {
  const parsed = definitionSchema.safeParse(raw);
  if (parsed.success) return { definition: parsed.data, issues: [] };
  const name =
    typeof raw === 'object' && raw !== null && 'name' in raw ? String(raw.name) : undefined;
  return {
    issues: issuesOf(parsed.error).map((i) => ({
      file,
      line: lineOf?.(i.path),
      field: `${name ? `${name}.` : ''}${formatPath(i.path)}`.replace(/\.$/, ''),
      message: i.message,
    })),
  };
}

/**
 * Parses a YAML file holding one or more definitions (documents separated by `---`, or a
 * list). Returns what is valid and every problem, each with its line.
 */
export function parseDefinitionsYaml(
  text: string,
  file: string,
): { definitions: Definition[]; issues: DefinitionIssue[] } {
  const lineCounter = new LineCounter();
  const docs = parseAllDocuments(text, { lineCounter, prettyErrors: false });
  const definitions: Definition[] = [];
  const issues: DefinitionIssue[] = [];
  const list = Array.isArray(docs) ? docs : [docs];
  for (const doc of list) {
    if (doc.errors.length > 0) {
      const e = doc.errors[0];
      issues.push({
        file,
        line: e.linePos?.[0]?.line,
        field: '',
        message: e.message.split('\n')[0],
      });
      continue;
    }
    const value: unknown = doc.toJS();
    if (value === null || value === undefined) continue;
    const items = Array.isArray(value) ? value : [value];
    items.forEach((item, index) => {
      const prefix = Array.isArray(value) ? [index] : [];
      const lineOf = (path: (string | number)[]) => {
        let node: unknown = doc.getIn([...prefix, ...path], true);
        // A missing key has no node: locate its parent mapping instead.
        for (let n = path.length; !isNode(node) && n > 0; n--)
          node = doc.getIn([...prefix, ...path.slice(0, n - 1)], true);
        const range = isNode(node) ? node.range : undefined;
        return range ? lineCounter.linePos(range[0]).line : undefined;
      };
      const checked = checkDefinition(item, file, lineOf);
      if (checked.definition) definitions.push(checked.definition);
      issues.push(...checked.issues);
    });
  }
  return { definitions, issues };
}
