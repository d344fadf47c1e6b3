// The durable events outbox every domain may write to, and the dispatcher that delivers its
// events to consumers (pipeline triggers, monitors) at least once, each from its own cursor.
export { KyselyEventStore, type EventStore, type EventTables } from './event-store.js';
export { KyselyCursorStore, type CursorStore } from './cursor-store.js';
export {
  EventDispatcher,
  type EventConsumer,
  type EventDispatcherOptions,
} from './event-dispatcher.js';
export type { GyreEvent, NewEvent, ListEventsOptions } from './event-types.js';
