// The demo's traffic: requests to the model server over MLflow's /invocations, as a client
// would send them, and the true labels a while later (fraud is confirmed after the fact) —
// to the deployment's feedback endpoint when the server has one, and always into the
// simulator's own ledger, which gives the console its realized AUC per model version.
import { rocAuc } from '../../ml/index.js';
import { featuresOf, generateTransactions, type Transaction, type World } from './transactions.js';

interface Scored {
  version: string;
  score: number;
  label: number;
  /** When the label becomes known (epoch ms). */
  labelAt: number;
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
  /** How long after a prediction its label arrives. */
  labelDelayMs: number;
  signal: AbortSignal;
}

export class TrafficSimulator {
  world: World = 'baseline';
  requests = 0;
  errors = 0;
  lastError?: string;
  feedbackSupported: boolean | undefined;
  /** The latest inputs sent, for the demo's own drift reading. */
  readonly recent: Transaction[] = [];
  private readonly scored: Scored[] = [];
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
    for (const s of this.scored)
      if (s.at >= since) counts.set(s.version, (counts.get(s.version) ?? 0) + 1);
    return counts;
  }

  /**
   * Realized AUC per model version over rows whose labels are known, predicted since
   * `since`; versions with too few frauds labelled to judge are left out.
   */
  realizedAuc(since: number, now = Date.now(), minPositives = 8): Map<string, number> {
    const byVersion = new Map<string, { y: number[]; s: number[] }>();
    for (const r of this.scored) {
      if (r.at < since || r.labelAt > now) continue;
      const v = byVersion.get(r.version) ?? { y: [], s: [] };
      v.y.push(r.label);
      v.s.push(r.score);
      byVersion.set(r.version, v);
    }
    const out = new Map<string, number>();
    for (const [version, { y, s }] of byVersion) {
      const positives = y.reduce((a, b) => a + b, 0);
      if (positives >= minPositives && positives < y.length) out.set(version, rocAuc(y, s));
    }
    return out;
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
      try {
        await this.send(rows);
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
    const predictions = (JSON.parse(text) as { predictions: (number | number[])[] }).predictions;
    const at = Date.now();
    this.recent.push(...rows);
    if (this.recent.length > 3000) this.recent.splice(0, this.recent.length - 3000);
    rows.forEach((row, i) => {
      const p = predictions[i];
      const score = Array.isArray(p) ? p[p.length - 1] : p;
      this.scored.push({
        version,
        score,
        label: row.is_fraud,
        labelAt: at + this.options.labelDelayMs,
        at,
      });
      this.pending.push({ requestId, rowIndex: i, label: row.is_fraud, at });
    });
  }

  /** Sends labels once they are "confirmed", in batches, to the feedback endpoint if any. */
  private async labeller(): Promise<void> {
    const { signal } = this.options;
    while (!signal.aborted) {
      await new Promise((resolve) => setTimeout(resolve, 250));
      const due = Date.now() - this.options.labelDelayMs;
      let n = 0;
      while (n < this.pending.length && this.pending[n].at <= due) n++;
      const ready = this.pending.splice(0, Math.min(n, 10_000));
      if (ready.length === 0 || this.feedbackSupported === false) continue;
      try {
        const response = await fetch(
          `${this.options.baseUrl}/api/v1/deployments/${this.options.deployment}/feedback`,
          {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify({
              labels: ready.map(({ requestId, rowIndex, label }) => ({
                requestId,
                rowIndex,
                label,
              })),
            }),
          },
        );
        await response.text();
        // No such endpoint on this server: labels stay in the simulator's ledger only.
        this.feedbackSupported = response.status !== 404 && response.status !== 405;
      } catch {
        if (signal.aborted) return;
      }
    }
  }
}
