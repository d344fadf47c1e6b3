// The demo's traffic: requests to the model server over MLflow's /invocations, as a client
// would send them, at a steady rate, and the true labels a while later (fraud is confirmed
// after the fact) to the deployment's feedback endpoint, where monitoring joins them to the
// prediction log. It remembers only which model version answered when.
import { featuresOf, generateTransactions, type Transaction, type World } from './transactions.js';

interface Answered {
  version: string;
  at: number;
}

export interface TrafficOptions {
  baseUrl: string;
  deployment: string;
  /** The registered model behind the deployment (names versions: `fraud/2`). */
  model: string;
  seed: number;
  /** Rows per request and requests in flight. */
  rowsPerRequest: number;
  concurrency: number;
  /**
   * Requests per second across the workers: a steady load like a real client's, not as fast
   * as the server answers (which would bury the labels and the canary analysis in rows).
   */
  requestsPerSecond: number;
  /** How long after a prediction its label arrives. */
  labelDelayMs: number;
  signal: AbortSignal;
}

export class TrafficSimulator {
  world: World = 'baseline';
  requests = 0;
  errors = 0;
  lastError?: string;
  private readonly answered: Answered[] = [];
  private readonly pending: { requestId: string; rowIndex: number; label: number; at: number }[] =
    [];
  private batch = 0;
  private running?: Promise<void>;

  constructor(private readonly options: TrafficOptions) {}

  start(): void {
    const workers = Array.from({ length: this.options.concurrency }, () => this.worker());
    this.running = Promise.all([...workers, this.labeller()]).then(() => undefined);
  }

  async stopped(): Promise<void> {
    await this.running;
  }

  /** Requests answered by each model version (`fraud/2`) since `since`. */
  served(since: number): Map<string, number> {
    const counts = new Map<string, number>();
    for (const s of this.answered)
      if (s.at >= since) counts.set(s.version, (counts.get(s.version) ?? 0) + 1);
    return counts;
  }

  private async worker(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      const batch = this.batch++;
      const rows = generateTransactions({
        rows: this.options.rowsPerRequest,
        seed: this.options.seed * 1_000_003 + batch,
        world: this.world,
      });
      const due = Date.now() + (1000 * this.options.concurrency) / this.options.requestsPerSecond;
      try {
        await this.send(rows);
        await this.idleUntil(due);
      } catch (error) {
        if (signal.aborted) return;
        this.errors++;
        this.lastError = (error as Error).message;
        await new Promise((resolve) => setTimeout(resolve, 200));
      }
    }
  }

  private async send(rows: Transaction[]): Promise<void> {
    const response = await fetch(`${this.options.baseUrl}/invocations`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-gyre-deployment': this.options.deployment },
      body: JSON.stringify({ dataframe_records: rows.map(featuresOf) }),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`/invocations answered ${response.status}: ${text}`);
    this.requests++;
    const requestId = response.headers.get('x-request-id') ?? '';
    // The header holds the version number of the registered model the deployment serves.
    const version = `${this.options.model}/${response.headers.get('x-gyre-model-version') ?? '?'}`;
    const at = Date.now();
    this.answered.push({ version, at });
    rows.forEach((row, i) =>
      this.pending.push({ requestId, rowIndex: i, label: row.is_fraud, at }),
    );
  }

  /** Sends labels once they are "confirmed", to the deployment's feedback endpoint. */
  private async labeller(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      await this.idleUntil(Date.now() + 250);
      const confirmed = Date.now() - this.options.labelDelayMs;
      let n = 0;
      while (n < this.pending.length && this.pending[n].at <= confirmed) n++;
      const ready = this.pending.splice(0, n);
      // The endpoint takes up to 10,000 labels a call.
      for (let i = 0; i < ready.length && !signal.aborted; i += 10_000)
        await this.sendLabels(ready.slice(i, i + 10_000));
    }
  }

  /** Waits until `time` (pacing), or less when the traffic stops. */
  private idleUntil(time: number): Promise<void> {
    const { signal } = this.options;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, Math.max(0, time - Date.now()));
      signal.addEventListener('abort', done, { once: true });
    });
  }

  private async sendLabels(
    labels: { requestId: string; rowIndex: number; label: number }[],
  ): Promise<void> {
    try {
      const response = await fetch(
        `${this.options.baseUrl}/api/v1/deployments/${this.options.deployment}/feedback`,
        {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({
            labels: labels.map(({ requestId, rowIndex, label }) => ({
              requestId,
              rowIndex,
              label,
            })),
          }),
        },
      );
      const text = await response.text();
      if (!response.ok) this.lastError = `feedback answered ${response.status}: ${text}`;
    } catch (error) {
      if (!this.options.signal.aborted) this.lastError = (error as Error).message;
    }
  }
}
