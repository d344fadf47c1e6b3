/** A search over registered models or model versions, in MLflow's terms. */
export interface SearchQuery {
  /** MLflow filter grammar, e.g. `name LIKE 'fraud-%' AND tags.team = 'risk'`. */
  filter?: string;
  maxResults: number;
  /** MLflow order_by clauses, e.g. `['last_updated_timestamp DESC']`. */
  orderBy: string[];
  /** Only versions of this registered model (version searches). */
  modelName?: string;
  /** The opaque token of the previous page. */
  pageToken?: string;
}
