import { InvalidArgumentError } from '../../core/index.js';
import type { SeededRandom } from '../random.js';

/** The range one hyperparameter is drawn from. */
export type ParamDomain =
  | { type: 'uniform'; low: number; high: number }
  | { type: 'loguniform'; low: number; high: number }
  | { type: 'int'; low: number; high: number }
  | { type: 'choice'; values: readonly (number | string | boolean)[] };

/** Parameter name → domain; names are GbdtParams keys. */
export type SearchSpace = Record<string, ParamDomain>;

export type SampledParams = Record<string, number | string | boolean>;

/** Checks a search space up front so a bad domain fails before any worker starts. */
export function validateSearchSpace(space: SearchSpace): void {
  for (const [name, d] of Object.entries(space)) {
    if (d.type === 'choice') {
      if (d.values.length === 0)
        throw new InvalidArgumentError(`search space ${name} has no choices`);
      continue;
    }
    const ok =
      Number.isFinite(d.low) &&
      Number.isFinite(d.high) &&
      d.low <= d.high &&
      (d.type !== 'loguniform' || d.low > 0) &&
      (d.type !== 'int' || (Number.isInteger(d.low) && Number.isInteger(d.high)));
    if (!ok)
      throw new InvalidArgumentError(`search space ${name} has an invalid ${d.type} range`, {
        ...d,
      });
  }
}

/** Draws one configuration; keys in sorted order so a seed gives the same draws everywhere. */
export function sampleParams(space: SearchSpace, rng: SeededRandom): SampledParams {
  const out: SampledParams = {};
  for (const name of Object.keys(space).sort()) {
    const d = space[name];
    switch (d.type) {
      case 'uniform':
        out[name] = d.low + rng.next() * (d.high - d.low);
        break;
      case 'loguniform':
        out[name] = Math.exp(Math.log(d.low) + rng.next() * (Math.log(d.high) - Math.log(d.low)));
        break;
      case 'int':
        out[name] = d.low + rng.nextInt(d.high - d.low + 1);
        break;
      case 'choice':
        out[name] = d.values[rng.nextInt(d.values.length)];
        break;
    }
  }
  return out;
}
