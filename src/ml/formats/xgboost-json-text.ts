import { InvalidArgumentError } from '../../core/index.js';

/** Bare non-finite tokens XGBoost's JSON writer emits, and the strings they become. */
const NON_FINITE = ['NaN', 'Infinity', '-Infinity'] as const;

/**
 * Parses XGBoost's JSON. XGBoost writes non-finite floats as bare `NaN` / `Infinity` tokens
 * (for example `split_conditions` of categorical nodes, which have no threshold), which
 * strict JSON rejects. Those tokens outside strings become the strings "NaN" / "Infinity",
 * which the checked accessors read back as numbers. Strict parsing is tried first, so
 * ordinary models pay nothing for the rewrite.
 */
export function parseXgboostJsonText(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (strictError) {
    try {
      return JSON.parse(quoteNonFiniteTokens(text));
    } catch {
      throw new InvalidArgumentError('XGBoost model is not valid JSON', {}, { cause: strictError });
    }
  }
}

function quoteNonFiniteTokens(text: string): string {
  const parts: string[] = [];
  let copiedUpTo = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c /* \ */) i++;
      else if (c === 0x22 /* " */) inString = false;
      continue;
    }
    if (c === 0x22) {
      inString = true;
      continue;
    }
    for (const token of NON_FINITE) {
      if (text.startsWith(token, i)) {
        parts.push(text.slice(copiedUpTo, i), `"${token}"`);
        i += token.length - 1;
        copiedUpTo = i + 1;
        break;
      }
    }
  }
  parts.push(text.slice(copiedUpTo));
  return parts.join('');
}
