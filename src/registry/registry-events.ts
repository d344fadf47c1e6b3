// Events the registry appends in the same transaction as the change they describe. The
// names and payloads are a contract with their consumers (serving's alias follower, pipeline
// triggers): `{ name, version, alias? }`.

/** A new version was registered. Payload: `{ name, version, source, runId? }`. */
export const MODEL_VERSION_CREATED = 'model.version.created';

/** An alias was set or moved (`{ name, alias, version }`) or deleted (`{ name, alias }`). */
export const MODEL_ALIAS_CHANGED = 'model.alias.changed';

export interface ModelEventPayload extends Record<string, unknown> {
  name: string;
  version?: number;
  alias?: string;
  /** On a new version: where its files are, and the run that produced it. */
  source?: string;
  runId?: string;
}
