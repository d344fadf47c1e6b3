// Label feedback: ground truth for predictions, by request id (and row) or by routing key and
// time, in batches. Validated whole before anything is written; idempotent per prediction.
import { InvalidArgumentError, systemClock, type Clock } from '../../core/index.js';
import type { FeedbackCounts, KyselyFeedbackStore, StoredLabel } from '../store/feedback-store.js';

/** One label as the API takes it. */
export type FeedbackLabel =
  | { requestId: string; rowIndex?: number; label: number | boolean }
  | { routingKey: string; time: number | string; label: number | boolean };

export const MAX_FEEDBACK_BATCH = 10_000;

function toStored(entry: FeedbackLabel, i: number): StoredLabel {
  const field = (name: string) => `labels[${i}].${name}`;
  const raw = entry.label;
  const label = typeof raw === 'boolean' ? (raw ? 1 : 0) : raw;
  if (typeof label !== 'number' || !Number.isFinite(label))
    throw new InvalidArgumentError(`${field('label')} must be a finite number or a boolean`, {
      field: field('label'),
    });
  if ('requestId' in entry) {
    const rowIndex = entry.rowIndex ?? 0;
    if (typeof entry.requestId !== 'string' || entry.requestId === '')
      throw new InvalidArgumentError(`${field('requestId')} must be a non-empty string`, {
        field: field('requestId'),
      });
    if (!Number.isInteger(rowIndex) || rowIndex < 0)
      throw new InvalidArgumentError(`${field('rowIndex')} must be a whole number >= 0`, {
        field: field('rowIndex'),
      });
    return { key: `r:${entry.requestId}:${rowIndex}`, requestId: entry.requestId, rowIndex, label };
  }
  if ('routingKey' in entry) {
    const time = typeof entry.time === 'number' ? entry.time : Date.parse(entry.time);
    if (typeof entry.routingKey !== 'string' || entry.routingKey === '')
      throw new InvalidArgumentError(`${field('routingKey')} must be a non-empty string`, {
        field: field('routingKey'),
      });
    if (!Number.isFinite(time))
      throw new InvalidArgumentError(
        `${field('time')} must be epoch milliseconds or an ISO 8601 time`,
        { field: field('time') },
      );
    return {
      key: `k:${entry.routingKey}:${time}`,
      routingKey: entry.routingKey,
      labelTime: time,
      label,
    };
  }
  throw new InvalidArgumentError(`labels[${i}] needs a requestId, or a routingKey and time`, {
    field: `labels[${i}]`,
  });
}

export class FeedbackService {
  constructor(
    private readonly deps: {
      store: KyselyFeedbackStore;
      /** Throws NotFoundError for an unknown deployment. */
      checkDeployment: (name: string) => Promise<unknown>;
      clock?: Clock;
    },
  ) {}

  /** Stores a batch of labels for a deployment's predictions; all or nothing. */
  async send(deployment: string, labels: FeedbackLabel[]): Promise<FeedbackCounts> {
    await this.deps.checkDeployment(deployment);
    if (!Array.isArray(labels) || labels.length === 0)
      throw new InvalidArgumentError('labels must be a non-empty list', { field: 'labels' });
    if (labels.length > MAX_FEEDBACK_BATCH)
      throw new InvalidArgumentError(
        `labels holds ${labels.length} entries; send at most ${MAX_FEEDBACK_BATCH} per batch`,
        { field: 'labels' },
      );
    const stored = labels.map(toStored);
    return this.deps.store.put(deployment, stored, (this.deps.clock ?? systemClock).now());
  }
}
