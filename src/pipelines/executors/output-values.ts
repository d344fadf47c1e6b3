import type { OutputValue } from '../steps/step-types.js';

/** A `name=value` line a `run` step wrote to $GYRE_OUTPUTS, as its declared type. */
function coerceOutput(type: OutputValue['type'], text: string): OutputValue['value'] {
  switch (type) {
    case 'number':
    case 'integer':
    case 'metric': {
      const n = Number(text);
      if (text.trim() === '' || !Number.isFinite(n)) throw new Error(`"${text}" is not a number`);
      return n;
    }
    case 'boolean':
      return text === 'true' || text === '1';
    case 'json':
      return JSON.parse(text) as OutputValue['value'];
    default:
      return text;
  }
}

/** The `name=value` lines a `run` step wrote to $GYRE_OUTPUTS (as GitHub's $GITHUB_OUTPUT). */
export function parseOutputLines(lines: Iterable<string>): Map<string, string> {
  const values = new Map<string, string>();
  for (const line of lines) {
    const eq = line.indexOf('=');
    if (eq > 0) values.set(line.slice(0, eq).trim(), line.slice(eq + 1));
  }
  return values;
}

/** A declared value output from what the step wrote; throws naming a missing or bad one. */
export function valueOutput(
  name: string,
  type: OutputValue['type'],
  written: Map<string, string>,
): OutputValue {
  const text = written.get(name);
  if (text === undefined)
    throw new Error(`declared output ${name} was not written to $GYRE_OUTPUTS`);
  try {
    return { type, value: coerceOutput(type, text) };
  } catch (error) {
    throw new Error(`output ${name}: ${(error as Error).message}`);
  }
}
