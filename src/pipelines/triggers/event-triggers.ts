import { isGyreError, type Logger } from '../../core/index.js';
import { DATASET_VERSION_CREATED } from '../../data/index.js';
import type { EventConsumer, GyreEvent } from '../../events/index.js';
import { MODEL_ALIAS_CHANGED, MODEL_VERSION_CREATED } from '../../registry/index.js';
import type { PipelineService } from '../pipeline-service.js';
import type { TriggerSpec } from '../spec/pipeline-spec.js';
import { renderValue } from '../spec/templates.js';
import { MONITORING_ALERT_FIRED, TRIGGER_EVENT_TYPES } from './trigger-events.js';

export const TRIGGER_CONSUMER = 'pipelines.triggers';

type Payload = Record<string, unknown>;

/** Which trigger an event satisfies, and the values templates see as `${{ trigger.* }}`. */
function match(trigger: TriggerSpec, event: GyreEvent): Payload | undefined {
  const p = event.payload as Payload;
  const base = { event: event.type, event_id: event.id };
  if (
    'dataset' in trigger &&
    event.type === DATASET_VERSION_CREATED &&
    p.datasetName === trigger.dataset
  )
    return {
      ...base,
      dataset: p.datasetName,
      version: p.version,
      ref: `${String(p.datasetName)}@${String(p.version)}`,
      digest: p.digest,
      landing_zone: p.landingZone,
    };
  if (
    'model' in trigger &&
    (event.type === MODEL_VERSION_CREATED || event.type === MODEL_ALIAS_CHANGED) &&
    p.name === trigger.model &&
    // An alias deleted points nowhere: nothing to run on.
    p.version !== undefined
  )
    return {
      ...base,
      model: p.name,
      version: p.version,
      alias: p.alias,
      ref: `models:/${String(p.name)}/${String(p.version)}`,
    };
  if ('alert' in trigger && event.type === MONITORING_ALERT_FIRED && p.rule === trigger.alert)
    return { ...base, ...p };
  return undefined;
}

/**
 * Starts the runs an outbox event triggers: new dataset versions, new model versions and
 * alias moves, fired alerts. The idempotency key (consumer + event id + pipeline) is unique
 * in the database and written with the run, so redelivery after a crash starts nothing twice.
 */
export function eventTriggerConsumer(pipelines: PipelineService, logger: Logger): EventConsumer {
  return {
    name: TRIGGER_CONSUMER,
    types: TRIGGER_EVENT_TYPES,
    async handle(event) {
      for (const pipeline of await pipelines.listPipelines()) {
        const version = await pipelines.getVersion(pipeline.name);
        for (const trigger of version.spec.triggers) {
          const values = match(trigger, event);
          if (!values) continue;
          const params = renderValue(trigger.params ?? {}, (path) =>
            path[0] === 'trigger' ? values[path[1]] : undefined,
          ) as Payload;
          try {
            const { run, created } = await pipelines.startRun({
              pipeline: pipeline.name,
              version: version.version,
              params,
              trigger: {
                kind: 'event',
                detail: { type: event.type, eventId: event.id, subject: event.subject },
                values,
              },
              fireKey: `${TRIGGER_CONSUMER}:${event.id}:${pipeline.name}`,
            });
            if (created)
              logger.info(
                {
                  pipeline: pipeline.name,
                  runId: run.id,
                  event: event.type,
                  subject: event.subject,
                },
                'pipeline triggered by event',
              );
          } catch (error) {
            // A pipeline whose trigger cannot make a run (bad params) must not hold up the others;
            // anything else (the database) is retried by the dispatcher.
            if (!(isGyreError(error) && error.isUserError)) throw error;
            logger.warn(
              { pipeline: pipeline.name, event: event.type, err: error },
              'trigger could not start a run',
            );
          }
          break;
        }
      }
    },
  };
}
