import type { CliContext } from './context.js';

export function printJson(ctx: CliContext, value: unknown): void {
  ctx.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

/** Prints rows as an aligned plain-text table; columns in the order given. */
export function printTable(
  ctx: CliContext,
  columns: string[],
  rows: (string | number | undefined)[][],
): void {
  const cells = [columns, ...rows.map((r) => r.map((c) => (c === undefined ? '' : String(c))))];
  const widths = columns.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  for (const row of cells) {
    ctx.stdout.write(
      `${row.map((c, i) => (i === row.length - 1 ? c : (c ?? '').padEnd(widths[i]))).join('  ')}\n`,
    );
  }
}
