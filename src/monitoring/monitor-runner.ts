// The server's periodic checks: every enabled monitor's next window, one monitor at a time,
// on an interval. A failing monitor is logged and the others still run.
import type { Logger } from '../core/index.js';
import type { MonitoringService } from './monitoring-service.js';

export class MonitorRunner {
  private timer: NodeJS.Timeout | undefined;
  private pass: Promise<void> = Promise.resolve();

  constructor(
    private readonly service: MonitoringService,
    private readonly logger: Logger,
  ) {}

  /** Checks every enabled monitor once (what each interval runs). */
  runOnce(): Promise<void> {
    this.pass = this.pass.then(async () => {
      try {
        for (const monitor of await this.service.enabledMonitors()) {
          try {
            await this.service.evaluate(monitor.name);
          } catch (error) {
            this.logger.warn({ err: error, monitor: monitor.name }, 'monitor check failed');
          }
        }
      } catch (error) {
        this.logger.warn({ err: error }, 'listing monitors failed');
      }
    });
    return this.pass;
  }

  start(intervalMs: number): void {
    if (this.timer) return;
    this.timer = setInterval(() => void this.runOnce(), intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.pass;
  }
}
