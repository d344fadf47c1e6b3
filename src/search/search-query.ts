import { InvalidArgumentError } from '../core/index.js';

/** One page of a listing or search. */
export interface Page<T> {
  items: T[];
  /** Opaque; absent on the last page. */
  nextPageToken?: string;
}

/** A search as callers send it; omitted fields take the searched entity's defaults. */
export interface SearchRequest {
  /** MLflow filter grammar, e.g. `name LIKE 'fraud-%' AND tags.team = 'risk'`. */
  filter?: string;
  maxResults?: number;
  /** MLflow order_by clauses, e.g. `['last_updated_timestamp DESC']`. */
  orderBy?: string[];
  /** The opaque token of the previous page. */
  pageToken?: string;
}

/** A search with defaults applied and `max_results` checked. */
export interface SearchQuery {
  filter?: string;
  maxResults: number;
  orderBy: string[];
  pageToken?: string;
}

/** How many results a search of one entity returns by default and at most. */
export interface ResultLimits {
  default: number;
  max: number;
}

/** `max_results`: the default when absent, else an integer from 1 to the entity's cap. */
export function resolveMaxResults(maxResults: number | undefined, limits: ResultLimits): number {
  if (maxResults === undefined) return Math.min(limits.default, limits.max);
  if (!Number.isInteger(maxResults) || maxResults < 1 || maxResults > limits.max)
    throw new InvalidArgumentError(
      `Invalid value ${maxResults} for parameter 'max_results' supplied; it must be between 1 and ${limits.max}`,
      { field: 'max_results' },
    );
  return maxResults;
}

/**
 * Applies defaults and checks `max_results`. PostgreSQL text cannot hold NUL characters
 * (SQLite can), so a filter or order_by holding one is refused up front on both databases.
 */
export function normalizeSearch(request: SearchRequest, limits: ResultLimits): SearchQuery {
  const maxResults = resolveMaxResults(request.maxResults, limits);
  for (const [field, text] of [
    ['filter', request.filter],
    ...(request.orderBy ?? []).map((clause) => ['order_by', clause]),
  ]) {
    if (text?.includes('\0'))
      throw new InvalidArgumentError(`${field} must not contain NUL characters`, { field });
  }
  return {
    filter: request.filter?.trim() || undefined,
    maxResults,
    orderBy: request.orderBy ?? [],
    pageToken: request.pageToken || undefined,
  };
}
