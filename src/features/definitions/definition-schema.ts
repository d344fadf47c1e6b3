// The three kinds of feature definitions users write (in YAML or TypeScript): entities (what
// features describe, by join keys), feature views (typed features over dataset versions, with
// an event-time column and a time to live) and feature services (the features one model uses).
import { z } from 'zod';

const NAME = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;
const name = z.string().regex(NAME, {
  error: 'must be 1-63 letters, digits or "_", starting with a letter or "_" (a SQL identifier)',
});
const tags = z.record(z.string(), z.string()).default({});
const owner = z.string().min(1).optional();
const description = z.string().optional();

/** Feature value types; the online store and serving read them as numbers, strings or booleans. */
export const FEATURE_TYPES = ['double', 'float', 'long', 'integer', 'boolean', 'string'] as const;
export type FeatureType = (typeof FEATURE_TYPES)[number];

const DURATION = /^(\d+(?:\.\d+)?)\s*(ms|s|m|h|d|w)$/;
const UNIT_MS: Record<string, number> = {
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** `90s`, `1h`, `7d` or a number of milliseconds. */
export function parseDuration(value: string | number): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value > 0 ? value : undefined;
  const m = DURATION.exec(value.trim());
  if (!m) return undefined;
  const ms = Number(m[1]) * UNIT_MS[m[2]];
  return ms > 0 ? Math.round(ms) : undefined;
}

const duration = z.union([z.number(), z.string()]).transform((v, ctx) => {
  const ms = parseDuration(v);
  if (ms === undefined) {
    ctx.addIssue({
      code: 'custom',
      message: 'must be a positive duration such as 90s, 1h, 7d (or milliseconds)',
    });
    return z.NEVER;
  }
  return ms;
});

export const entitySchema = z.strictObject({
  kind: z.literal('entity'),
  name,
  /** The columns that identify one entity (most often one, e.g. customer_id). */
  joinKeys: z.array(name).min(1).max(4),
  description,
  owner,
  tags,
});

export const featureSchema = z.strictObject({
  name,
  type: z.enum(FEATURE_TYPES, { error: `must be one of ${FEATURE_TYPES.join(', ')}` }),
  description,
});

const datasetRef = z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]*(@\d+)?$/, {
  error: 'must be a dataset name or name@version',
});

export const viewSourceSchema = z.union([
  z.strictObject({
    /** The dataset the features are columns of; unpinned follows its newest version. */
    dataset: datasetRef,
  }),
  z.strictObject({
    /** A DuckDB SELECT over the inputs, each visible as a table named by its alias. */
    sql: z.string().min(1),
    inputs: z.record(name, datasetRef).refine((r) => Object.keys(r).length > 0, {
      message: 'needs at least one input',
    }),
  }),
]);

export const featureViewSchema = z.strictObject({
  kind: z.literal('feature_view'),
  name,
  /** The entities the rows describe; their join keys are columns of the source. */
  entities: z.array(name).min(1),
  source: viewSourceSchema,
  /** The column holding when each row's values became true (a timestamp or epoch ms). */
  timestampColumn: name,
  /** How long a value stays valid: older values read as missing. */
  ttl: duration,
  features: z.array(featureSchema).min(1),
  description,
  owner,
  tags,
});

export const featureServiceSchema = z.strictObject({
  kind: z.literal('feature_service'),
  name,
  /** `view` (all its features) or `view:feature`. */
  features: z
    .array(
      z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*(:[A-Za-z_][A-Za-z0-9_]*)?$/, {
        error: 'must be "view" or "view:feature"',
      }),
    )
    .min(1),
  description,
  owner,
  tags,
});

export const definitionSchema = z.discriminatedUnion('kind', [
  entitySchema,
  featureViewSchema,
  featureServiceSchema,
]);

/** What users write (durations as text, tags optional). */
export type EntityInput = z.input<typeof entitySchema>;
export type FeatureViewInput = z.input<typeof featureViewSchema>;
export type FeatureServiceInput = z.input<typeof featureServiceSchema>;
export type DefinitionInput = z.input<typeof definitionSchema>;

/** Definitions as Gyre keeps them (durations in milliseconds, tags filled in). */
export type EntityDefinition = z.output<typeof entitySchema>;
export type FeatureDefinition = z.output<typeof featureSchema>;
export type FeatureViewSource = z.output<typeof viewSourceSchema>;
export type FeatureViewDefinition = z.output<typeof featureViewSchema>;
export type FeatureServiceDefinition = z.output<typeof featureServiceSchema>;
export type Definition = z.output<typeof definitionSchema>;
export type DefinitionKind = Definition['kind'];
export const DEFINITION_KINDS = ['entity', 'feature_view', 'feature_service'] as const;
