import { systemClock, type Clock } from '../core/index.js';
import type { Database } from '../db/index.js';
import { ExperimentService } from './experiment-service.js';
import { KyselyExperimentStore } from './kysely-experiment-store.js';
import { KyselyRunStore } from './kysely-run-store.js';
import { RunService } from './run-service.js';

/** The tracking domain's services, built once by the composition root. */
export interface TrackingService {
  experiments: ExperimentService;
  runs: RunService;
}

/** Builds the tracking services over the metadata database. */
export function createTrackingService(db: Database, clock: Clock = systemClock): TrackingService {
  const experiments = new ExperimentService(new KyselyExperimentStore(db), clock);
  const runs = new RunService(new KyselyRunStore(db), experiments, clock);
  return { experiments, runs };
}
