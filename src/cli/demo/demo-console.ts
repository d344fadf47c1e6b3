// The demo's live summary: on a terminal a block redrawn in place (the story so far, then the
// current state); elsewhere each milestone as a line and the state every few seconds.

export interface DemoStatus {
  phase: string;
  /** `fraud/1 80% · fraud/2 20%` */
  split: string;
  driftShare?: number;
  /** Realized AUC by model version (the monitor's latest window). */
  auc: Map<string, number>;
  /** Open alerts: `fraud-drift firing`. */
  alerts?: string;
  requests: number;
  errors: number;
}

export class DemoConsole {
  private readonly lines: string[] = [];
  private drawn = 0;
  private timer?: NodeJS.Timeout;
  private lastPlain = 0;

  constructor(
    private readonly out: { write(text: string): unknown },
    private readonly tty: boolean,
    private readonly status: () => DemoStatus,
    private readonly started = Date.now(),
    private readonly plainEveryMs = 3000,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.tty ? 250 : 500);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
    if (this.tty) this.redraw();
  }

  /** A milestone of the story. */
  event(text: string): void {
    const line = `[${((Date.now() - this.started) / 1000).toFixed(1).padStart(5)}s] ${text}`;
    if (this.tty) {
      this.lines.push(line);
      this.redraw();
    } else this.out.write(`${line}\n`);
  }

  private tick(): void {
    if (this.tty) return this.redraw();
    if (Date.now() - this.lastPlain < this.plainEveryMs) return;
    this.lastPlain = Date.now();
    this.out.write(`        ${statusLine(this.status())}\n`);
  }

  private redraw(): void {
    const block = [...this.lines.slice(-14), '', `  ${statusLine(this.status())}`];
    // Move up over the previous block and clear it, then draw the new one.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F\x1b[J` : '';
    this.out.write(`${up}${block.join('\n')}\n`);
    this.drawn = block.length;
  }
}

export function statusLine(s: DemoStatus): string {
  const auc = [...s.auc].map(([v, a]) => `${v} ${a.toFixed(3)}`).join(', ') || 'waiting for labels';
  const drift = s.driftShare === undefined ? 'n/a' : `${Math.round(s.driftShare * 100)}%`;
  return `${s.phase} | traffic ${s.split || '-'} | drift share ${drift} | realized AUC ${auc} | alerts ${s.alerts || 'none'} | ${s.requests} requests${s.errors ? `, ${s.errors} errors` : ''}`;
}
