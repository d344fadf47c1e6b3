export { KyselyEventStore, type EventStore, type EventTables } from './event-store.js';
export {
  DATASET_VERSION_CREATED,
  type GyreEvent,
  type NewEvent,
  type ListEventsOptions,
  type DatasetVersionCreatedPayload,
} from './event-types.js';
