export * from './types.js';
export type { RegistryStore, NewModelVersion, NewRegisteredModel } from './store.js';
export type { VersionSearchRequest } from './store.js';
export { KyselyRegistryStore } from './kysely-registry-store.js';
export {
  RegistryService,
  type RegistryServiceDeps,
  type CreateModelVersionInput,
} from './registry-service.js';
export { ModelUriResolver, type ResolvedModelUri } from './model-uri-resolver.js';
export { parseModelUri, type ParsedModelUri } from './model-uri.js';
export { parseMlmodel, type MlmodelResult } from './mlmodel.js';
export { parseStage } from './validation.js';
export {
  MODEL_VERSION_CREATED,
  MODEL_ALIAS_CHANGED,
  type ModelEventPayload,
} from './registry-events.js';
