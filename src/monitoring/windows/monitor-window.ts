// A monitoring window over a log: a time range, or the latest N rows (before an optional end).
import { InvalidArgumentError } from '../../core/index.js';
import type { ParquetWindow } from '../../data/index.js';

export type MonitorWindow =
  | { kind: 'time'; start: string | number; end: string | number }
  | { kind: 'count'; rows: number; end?: string | number }
  | { kind: 'all' };

/** The rows of `files` that form the window, by the log's time column. */
export function toParquetWindow(
  files: string[],
  window: MonitorWindow,
  timeColumn: string,
): ParquetWindow {
  switch (window.kind) {
    case 'time':
      return { files, time: { column: timeColumn, start: window.start, end: window.end } };
    case 'count': {
      if (!(Number.isInteger(window.rows) && window.rows > 0)) {
        throw new InvalidArgumentError('a count window needs a positive whole number of rows');
      }
      return {
        files,
        ...(window.end !== undefined ? { time: { column: timeColumn, end: window.end } } : {}),
        last: { rows: window.rows, orderBy: timeColumn },
      };
    }
    case 'all':
      return { files };
  }
}
