import type { Kysely } from 'kysely';

export type Dialect = 'sqlite' | 'postgres';

/** Tables owned by the foundation itself. Domains declare their own and use `withTables`. */
export interface FoundationTables {
  instance: { id: string; created_at: number };
}

/**
 * An open metadata database. Domain stores take `kysely.withTables<TheirTables>()`, so each
 * domain declares its own tables without a central list.
 */
export interface Database {
  readonly dialect: Dialect;
  readonly kysely: Kysely<FoundationTables>;
  /** A URL safe to print: passwords masked. */
  readonly displayUrl: string;
  close(): Promise<void>;
}
