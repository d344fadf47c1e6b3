import type { StepCatalog } from '../spec/step-catalog.js';
import { noopStep } from './builtin/noop.step.js';
import type { BuiltinStep } from './step-types.js';

/** Every built-in step type. Adding one: write `builtin/<area>-<name>.step.ts`, add it here. */
const BUILTIN_STEPS: readonly BuiltinStep[] = [noopStep];

const byUses = new Map(BUILTIN_STEPS.map((s) => [s.uses, s]));

export function builtinStep(uses: string): BuiltinStep | undefined {
  return byUses.get(uses);
}

/** The built-in steps as validation sees them. */
export const builtinCatalog: StepCatalog = {
  get: (uses) => byUses.get(uses),
  names: () => [...byUses.keys()].sort(),
};

export function listBuiltinSteps(): readonly BuiltinStep[] {
  return BUILTIN_STEPS;
}
