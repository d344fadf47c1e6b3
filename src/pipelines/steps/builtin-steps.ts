import type { StepCatalog } from '../spec/step-catalog.js';
import { dataIngestStep } from './builtin/data-ingest.step.js';
import { dataSplitStep } from './builtin/data-split.step.js';
import { dataTransformStep } from './builtin/data-transform.step.js';
import { dataValidateStep } from './builtin/data-validate.step.js';
import { featuresTrainingSetStep } from './builtin/features-training-set.step.js';
import { mlBatchPredictStep } from './builtin/ml-batch-predict.step.js';
import { mlEvaluateStep } from './builtin/ml-evaluate.step.js';
import { mlTrainStep } from './builtin/ml-train.step.js';
import { mlTuneStep } from './builtin/ml-tune.step.js';
import { mlValidateModelStep } from './builtin/ml-validate-model.step.js';
import { noopStep } from './builtin/noop.step.js';
import { notifyWebhookStep } from './builtin/notify-webhook.step.js';
import { approvalStep } from './builtin/util-approval.step.js';
import { registryGateStep } from './builtin/registry-gate.step.js';
import { registryRegisterStep } from './builtin/registry-register.step.js';
import { servingDeployStep } from './builtin/serving-deploy.step.js';
import type { BuiltinStep } from './step-types.js';

/** Every built-in step type. Adding one: write `builtin/<area>-<name>.step.ts`, add it here. */
const BUILTIN_STEPS: readonly BuiltinStep[] = [
  dataIngestStep,
  dataValidateStep,
  dataTransformStep,
  dataSplitStep,
  featuresTrainingSetStep,
  mlTrainStep,
  mlTuneStep,
  mlEvaluateStep,
  mlValidateModelStep,
  mlBatchPredictStep,
  registryGateStep,
  registryRegisterStep,
  servingDeployStep,
  notifyWebhookStep,
  approvalStep,
  noopStep,
];

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
