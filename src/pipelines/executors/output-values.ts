import type { OutputValue } from '../steps/step-types.js';

/** A `name=value` line a `run` step wrote to $GYRE_OUTPUTS, as its declared type. */
export function coerceOutput(type: OutputValue['type'], text: string): OutputValue['value'] {
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
