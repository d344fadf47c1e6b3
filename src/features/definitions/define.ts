// The TypeScript way to write definitions: the same shapes as the YAML, checked on the spot.
//
//   const customer = defineEntity({ name: 'customer', joinKeys: ['customer_id'] });
//   const stats = defineFeatureView({ name: 'customer_stats', entities: ['customer'], ... });
//   await gyre.features.registry.apply([customer, stats], { createdBy: 'me' });
import { definitionsError, checkDefinition } from './parse-definitions.js';
import type {
  EntityDefinition,
  EntityInput,
  FeatureServiceDefinition,
  FeatureServiceInput,
  FeatureViewDefinition,
  FeatureViewInput,
} from './definition-schema.js';

type WithoutKind<T> = Omit<T, 'kind'>;

function define<T>(kind: string, input: object, file: string): T {
  const { definition, issues } = checkDefinition({ ...input, kind }, file);
  if (!definition) throw definitionsError(issues);
  return definition as T;
}

export function defineEntity(input: WithoutKind<EntityInput>): EntityDefinition {
  return define('entity', input, 'defineEntity');
}

export function defineFeatureView(input: WithoutKind<FeatureViewInput>): FeatureViewDefinition {
  return define('feature_view', input, 'defineFeatureView');
}

export function defineFeatureService(
  input: WithoutKind<FeatureServiceInput>,
): FeatureServiceDefinition {
  return define('feature_service', input, 'defineFeatureService');
}
