import type { Logger } from '../../core/index.js';
import { DATASET_VERSION_CREATED, type DatasetVersionCreatedPayload } from '../../data/index.js';
import type { EventConsumer, GyreEvent } from '../../events/index.js';
import type { Materializer } from './materializer.js';

/**
 * Keeps the online store current: a new version of a dataset that feature views read (unpinned)
 * re-materializes those views. Delivery is at least once; materializing twice writes the same
 * values (the store keeps the newer of two), so handling an event again is harmless.
 */
export function materializeOnNewVersion(
  materializer: Materializer,
  logger: Logger,
  onDone?: () => void,
): EventConsumer {
  return {
    name: 'features.materialize-on-new-version',
    types: [DATASET_VERSION_CREATED],
    async handle(event: GyreEvent) {
      const payload = event.payload as unknown as DatasetVersionCreatedPayload;
      const views = await materializer.viewsReading(payload.datasetName);
      if (views.length === 0) return;
      const done = await materializer.materialize({
        views,
        trigger: `dataset:${payload.datasetName}@${payload.version}`,
      });
      onDone?.();
      logger.info(
        {
          dataset: `${payload.datasetName}@${payload.version}`,
          views: done.map((m) => `${m.view} (${m.rows} rows)`),
        },
        'feature views materialized',
      );
    },
  };
}
