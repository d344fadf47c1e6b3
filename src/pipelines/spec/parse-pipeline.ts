import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';
import { InvalidArgumentError } from '../../core/index.js';
import type { LineMap, PipelineSpec } from './pipeline-spec.js';
import { rawPipelineSchema, type RawPipeline } from './spec-schema.js';
import type { StepCatalog } from './step-catalog.js';
import { checkPipeline, type SpecIssue } from './validate-pipeline.js';

/** `steps.train.with.lr`, `triggers[0].schedule`. */
export function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}

function issuesOfSchema(error: z.ZodError): SpecIssue[] {
  return error.issues.map((issue) => {
    const path = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [];
    if (keys.length > 0) return { path: [...path, keys[0]], message: `unknown key "${keys[0]}"` };
    return { path, message: issue.message };
  });
}

/** One InvalidArgumentError listing every issue, each on its own line with its location. */
function invalid(source: string, issues: SpecIssue[], lineOf?: LineMap): InvalidArgumentError {
  const located = issues.map((i) => ({ issue: i, line: lineOf?.(i.path) }));
  // In file order, as an editor would list them.
  located.sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
  const lines = located.map(({ issue: i, line }) => {
    const key = formatPath(i.path);
    return {
      ...(line ? { line } : {}),
      key,
      ...(i.path[0] === 'steps' && typeof i.path[1] === 'string' ? { step: i.path[1] } : {}),
      message: i.message,
      text: `${source}${line ? ` line ${line}` : ''}: ${key ? `${key}: ` : ''}${i.message}`,
    };
  });
  const head =
    lines.length === 1
      ? lines[0].text
      : `${lines.length} problems in ${source}:\n  ${lines.map((l) => l.text).join('\n  ')}`;
  return new InvalidArgumentError(head, {
    field: lines[0]?.key,
    errors: lines.map(({ text: _text, ...rest }) => rest),
  });
}

function fromObject(raw: unknown, catalog: StepCatalog, source: string, lineOf?: LineMap) {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw))
    throw invalid(source, [{ path: [], message: 'a pipeline is a mapping with name and steps' }]);
  const parsed = rawPipelineSchema.safeParse(raw);
  if (!parsed.success) throw invalid(source, issuesOfSchema(parsed.error), lineOf);
  const { spec, issues } = checkPipeline(parsed.data, catalog);
  if (issues.length > 0) throw invalid(source, issues, lineOf);
  return spec;
}

/**
 * Parses and validates a pipeline's YAML. Every problem names its key path and line, e.g.
 * `pipeline.yaml line 12: steps.train.with.lr: ml/train input lr takes a number, got a string`.
 */
export function parsePipelineYaml(
  text: string,
  catalog: StepCatalog,
  source = 'pipeline.yaml',
): PipelineSpec {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    const e = doc.errors[0];
    const line = lineCounter.linePos(e.pos[0]).line;
    throw new InvalidArgumentError(`${source} line ${line}: ${e.message.split('\n')[0]}`, {
      line,
    });
  }
  const lineOf: LineMap = (path) => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  return fromObject(doc.toJS() ?? {}, catalog, source, lineOf);
}

/** Validates a pipeline given as an object (TypeScript definitions, REST bodies). */
export function parsePipelineObject(
  raw: RawPipeline | unknown,
  catalog: StepCatalog,
  source = 'pipeline',
): PipelineSpec {
  return fromObject(raw, catalog, source);
}
