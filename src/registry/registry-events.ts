/** Emitted in the same transaction as a new model version row (pipeline `model:` triggers). */
export const MODEL_VERSION_CREATED = 'model.version.created';
/** Emitted in the same transaction as an alias being set or moved. */
export const MODEL_ALIAS_SET = 'model.alias.set';

export interface ModelVersionCreatedPayload {
  modelName: string;
  version: number;
  source: string;
  runId?: string;
}

export interface ModelAliasSetPayload {
  modelName: string;
  alias: string;
  version: number;
}
