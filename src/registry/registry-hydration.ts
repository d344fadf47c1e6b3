import type { Kysely } from 'kysely';
import { toModelVersion, versionKey } from './registry-rows.js';
import type { RegistryTables } from './tables.js';
import { MODEL_STAGES, type ModelStage, type ModelVersion, type RegisteredModel } from './types.js';

type Db = Kysely<RegistryTables>;
type ModelRow = RegistryTables['registered_models'];
type VersionRow = RegistryTables['model_versions'] & { name: string };

/** Loads the tags and aliases of model rows in two queries. */
export async function hydrateModels(db: Db, rows: ModelRow[]): Promise<RegisteredModel[]> {
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const [tags, aliases] = await Promise.all([
    db
      .selectFrom('registered_model_tags')
      .selectAll()
      .where('model_id', 'in', ids)
      .orderBy('key')
      .execute(),
    db
      .selectFrom('registered_model_aliases')
      .selectAll()
      .where('model_id', 'in', ids)
      .orderBy('alias')
      .execute(),
  ]);
  return rows.map((row) => {
    const model: RegisteredModel = {
      name: row.name,
      createdAt: row.created_at,
      updatedAt: row.updated_at,
      tags: Object.fromEntries(
        tags.filter((t) => t.model_id === row.id).map((t) => [t.key, t.value]),
      ),
      aliases: aliases
        .filter((a) => a.model_id === row.id)
        .map((a) => ({ alias: a.alias, version: a.version })),
    };
    if (row.description !== null) model.description = row.description;
    return model;
  });
}

/** Loads the tags and aliases of version rows in two queries. */
export async function hydrateVersions(db: Db, rows: VersionRow[]): Promise<ModelVersion[]> {
  if (rows.length === 0) return [];
  const ids = [...new Set(rows.map((r) => r.model_id))];
  const numbers = [...new Set(rows.map((r) => r.version))];
  // Aliases by model and by number over-fetch at most a few rows; far simpler than tuples.
  const [tags, aliases] = await Promise.all([
    db
      .selectFrom('model_version_tags')
      .selectAll()
      .where(
        'version_id',
        'in',
        rows.map((r) => r.id),
      )
      .orderBy('key')
      .execute(),
    db
      .selectFrom('registered_model_aliases')
      .selectAll()
      .where('model_id', 'in', ids)
      .where('version', 'in', numbers)
      .orderBy('alias')
      .execute(),
  ]);
  const tagsOf = new Map<string, Record<string, string>>();
  for (const t of tags)
    tagsOf.set(t.version_id, { ...(tagsOf.get(t.version_id) ?? {}), [t.key]: t.value });
  const aliasesOf = new Map<string, string[]>();
  for (const a of aliases) {
    const k = versionKey(a.model_id, a.version);
    aliasesOf.set(k, [...(aliasesOf.get(k) ?? []), a.alias]);
  }
  return rows.map((row) => {
    const k = versionKey(row.model_id, row.version);
    return toModelVersion(row, tagsOf.get(row.id) ?? {}, aliasesOf.get(k) ?? []);
  });
}

/** Per model name: the newest version in each stage that has one, ordered by stage. */
export async function latestVersionPerStage(
  db: Db,
  names: string[],
): Promise<Map<string, ModelVersion[]>> {
  const result = new Map<string, ModelVersion[]>(names.map((n) => [n, []]));
  if (names.length === 0) return result;
  const newest = await db
    .selectFrom('model_versions as v')
    .innerJoin('registered_models as m', 'm.id', 'v.model_id')
    .select(['v.model_id', 'v.stage', (eb) => eb.fn.max('v.version').as('version')])
    .where('m.name', 'in', names)
    .groupBy(['v.model_id', 'v.stage'])
    .execute();
  if (newest.length === 0) return result;
  const wanted = new Set(newest.map((n) => versionKey(n.model_id, Number(n.version))));
  // Models by id and numbers by value over-fetch a little; the exact pairs are kept below.
  const rows = await db
    .selectFrom('model_versions as v')
    .innerJoin('registered_models as m', 'm.id', 'v.model_id')
    .selectAll('v')
    .select('m.name')
    .where('v.model_id', 'in', [...new Set(newest.map((n) => n.model_id))])
    .where('v.version', 'in', [...new Set(newest.map((n) => Number(n.version)))])
    .execute();
  const order = (s: string) => MODEL_STAGES.indexOf(s as ModelStage);
  const versions = await hydrateVersions(
    db,
    rows.filter((r) => wanted.has(versionKey(r.model_id, r.version))),
  );
  for (const v of versions.sort((a, b) => order(a.stage) - order(b.stage)))
    result.get(v.name)?.push(v);
  return result;
}
