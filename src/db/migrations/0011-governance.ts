import type { Kysely } from 'kysely';

/**
 * Governance (issue 15): the editable fields of model cards, the PII tags of dataset columns
 * (data's, applied by serving's prediction log), cost budgets and the thresholds they crossed.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable('model_card_fields')
    .addColumn('model_name', 'text', (c) => c.notNull())
    .addColumn('version', 'integer', (c) => c.notNull())
    .addColumn('intended_use', 'text')
    .addColumn('owner', 'text')
    .addColumn('limitations', 'text')
    .addColumn('updated_by', 'text', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('model_card_fields_pk', ['model_name', 'version'])
    .execute();
  await db.schema
    .createTable('dataset_pii_tags')
    .addColumn('dataset', 'text', (c) => c.notNull())
    .addColumn('column_name', 'text', (c) => c.notNull())
    // email, phone, card_number, name, address, id, other
    .addColumn('kind', 'text', (c) => c.notNull())
    .addColumn('tagged_by', 'text', (c) => c.notNull())
    .addColumn('tagged_at', 'bigint', (c) => c.notNull())
    .addPrimaryKeyConstraint('dataset_pii_tags_pk', ['dataset', 'column_name'])
    .execute();
  await db.schema
    .createTable('budgets')
    .addColumn('name', 'text', (c) => c.primaryKey())
    // experiment, model or team: what the budget's target names.
    .addColumn('scope', 'text', (c) => c.notNull())
    .addColumn('target', 'text', (c) => c.notNull())
    .addColumn('amount_usd', 'double precision', (c) => c.notNull())
    .addColumn('period_days', 'integer', (c) => c.notNull())
    // JSON array of fractions of the amount, e.g. [0.8, 1].
    .addColumn('thresholds', 'text', (c) => c.notNull())
    .addColumn('created_by', 'text', (c) => c.notNull())
    .addColumn('created_at', 'bigint', (c) => c.notNull())
    .addColumn('updated_at', 'bigint', (c) => c.notNull())
    .execute();
}
