import { FailedPreconditionError, NotFoundError, systemClock, type Clock } from '../core/index.js';
import { defaultExperimentArtifactLocation } from './artifact-location.js';
import {
  decodePageToken,
  nextPageToken,
  parseFilter,
  parseOrderBy,
  resolveMaxResults,
} from '../search/index.js';
import type { ExperimentStore } from './store.js';
import type { Experiment, KeyValue, Page, ViewType } from './types.js';
import {
  LIMITS,
  SEARCH_LIMITS,
  parseExperimentId,
  validateExperimentName,
  validateKey,
  validateValueLength,
} from './validation.js';

export interface ExperimentSearch {
  filter?: string;
  orderBy?: string[];
  maxResults?: number;
  pageToken?: string;
  viewType?: ViewType;
}

/** Experiments: create, find, search, rename, delete and restore, tag. */
export class ExperimentService {
  constructor(
    private readonly store: ExperimentStore,
    private readonly clock: Clock = systemClock,
  ) {}

  private checkTags(tags: KeyValue[]): KeyValue[] {
    for (const t of tags) {
      validateKey('tag', t.key);
      validateValueLength('tag', t.key, t.value, LIMITS.experimentTagValueLength);
    }
    return tags;
  }

  /** Creates an experiment; its artifact location defaults to `mlflow-artifacts:/<id>`. */
  async create(input: {
    name: string;
    artifactLocation?: string;
    tags?: KeyValue[];
  }): Promise<Experiment> {
    const name = validateExperimentName(input.name);
    const location = input.artifactLocation?.trim();
    return this.store.create({
      name,
      artifactLocation: (id) => (location ? location : defaultExperimentArtifactLocation(id)),
      tags: this.checkTags(input.tags ?? []),
      now: this.clock.now(),
    });
  }

  async get(experimentId: string): Promise<Experiment> {
    const experiment = await this.store.get(parseExperimentId(experimentId));
    if (!experiment)
      throw new NotFoundError(`No Experiment with id=${experimentId} exists`, { experimentId });
    return experiment;
  }

  async getByName(name: string): Promise<Experiment> {
    const experiment = await this.store.getByName(name);
    if (!experiment)
      throw new NotFoundError(`Could not find experiment with name '${name}'`, { name });
    return experiment;
  }

  async search(query: ExperimentSearch = {}): Promise<Page<Experiment>> {
    const cursor = decodePageToken(query.pageToken);
    const limit = resolveMaxResults(query.maxResults, SEARCH_LIMITS);
    const page = await this.store.search({
      filter: parseFilter(query.filter),
      orderBy: (query.orderBy ?? []).map(parseOrderBy),
      viewType: query.viewType ?? 'ACTIVE_ONLY',
      limit,
      offset: cursor.offset,
    });
    const token = nextPageToken(cursor, page.items.length, page.hasMore);
    return { items: page.items, ...(token ? { nextPageToken: token } : {}) };
  }

  /** Every experiment in a view, for MLflow's pre-2.0 `experiments/list`. */
  async list(viewType: ViewType = 'ACTIVE_ONLY'): Promise<Experiment[]> {
    const all: Experiment[] = [];
    let pageToken: string | undefined;
    do {
      const page = await this.search({ viewType, pageToken, maxResults: LIMITS.searchMaxResults });
      all.push(...page.items);
      pageToken = page.nextPageToken;
    } while (pageToken);
    return all;
  }

  private async requireActive(experimentId: string): Promise<number> {
    const experiment = await this.get(experimentId);
    if (experiment.lifecycleStage !== 'active')
      throw new FailedPreconditionError(
        `The experiment ${experimentId} must be in the 'active' state. Current state is ${experiment.lifecycleStage}.`,
        { experimentId },
      );
    return Number(experiment.experimentId);
  }

  async rename(experimentId: string, newName: string): Promise<void> {
    const name = validateExperimentName(newName);
    const id = await this.requireActive(experimentId);
    await this.store.rename(id, name, this.clock.now());
  }

  async delete(experimentId: string): Promise<void> {
    const id = parseExperimentId(experimentId);
    if (id === 0)
      throw new FailedPreconditionError(
        "Cannot delete the default experiment '0'. This is an internally reserved experiment.",
        {
          experimentId,
        },
      );
    await this.store.setLifecycle(id, 'deleted', this.clock.now());
  }

  async restore(experimentId: string): Promise<void> {
    await this.store.setLifecycle(parseExperimentId(experimentId), 'active', this.clock.now());
  }

  async setTag(experimentId: string, key: string, value: string): Promise<void> {
    this.checkTags([{ key, value }]);
    const id = await this.requireActive(experimentId);
    await this.store.setTag(id, { key, value }, this.clock.now());
  }

  async deleteTag(experimentId: string, key: string): Promise<void> {
    const id = await this.requireActive(experimentId);
    if (!(await this.store.deleteTag(id, key)))
      throw new NotFoundError(`No tag with name: ${key} in experiment with id ${experimentId}`, {
        experimentId,
        key,
      });
  }
}
