import { useState, type ReactNode, type UIEvent } from 'react';

export interface Column<T> {
  key: string;
  header: ReactNode;
  render(row: T): ReactNode;
  /** CSS width, e.g. '12rem'. */
  width?: string;
  numeric?: boolean;
}

const ROW_HEIGHT = 34;
// Below this many rows every row renders; above it only the visible window does.
const WINDOW_FROM = 150;
const OVERSCAN = 10;

/**
 * A table that stays fast with many rows: past WINDOW_FROM rows it renders only the rows in
 * view (plus a margin) between two spacer rows, so the scroll height and the header stay true.
 * It is a real <table>, so screen readers and axe see headers and cells.
 */
export function DataTable<T>(props: {
  rows: T[];
  columns: Column<T>[];
  rowKey(row: T): string;
  caption: string;
  /** Height of the scrolling area in pixels when windowed. */
  height?: number;
  empty?: ReactNode;
  rowClass?(row: T): string | undefined;
}) {
  const { rows, columns } = props;
  const height = props.height ?? 560;
  const [scrollTop, setScrollTop] = useState(0);
  const windowed = rows.length > WINDOW_FROM;
  const first = windowed ? Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN) : 0;
  const count = windowed ? Math.ceil(height / ROW_HEIGHT) + 2 * OVERSCAN : rows.length;
  const last = Math.min(rows.length, first + count);
  const onScroll = (e: UIEvent<HTMLDivElement>) => setScrollTop(e.currentTarget.scrollTop);
  if (rows.length === 0) return <p className="muted">{props.empty ?? 'Nothing yet.'}</p>;
  const span = columns.length;
  return (
    <div
      className="table-wrap"
      style={windowed ? { maxHeight: height, overflowY: 'auto' } : undefined}
      onScroll={windowed ? onScroll : undefined}
      tabIndex={windowed ? 0 : undefined}
      role={windowed ? 'region' : undefined}
      aria-label={windowed ? props.caption : undefined}
    >
      <table className="table">
        <caption className="sr-only">{props.caption}</caption>
        <thead>
          <tr>
            {columns.map((c) => (
              <th
                key={c.key}
                scope="col"
                style={c.width ? { width: c.width } : undefined}
                className={c.numeric ? 'num' : undefined}
              >
                {c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {first > 0 ? (
            <tr aria-hidden="true" style={{ height: first * ROW_HEIGHT }}>
              <td colSpan={span} />
            </tr>
          ) : null}
          {rows.slice(first, last).map((row) => (
            <tr
              key={props.rowKey(row)}
              style={windowed ? { height: ROW_HEIGHT } : undefined}
              className={props.rowClass?.(row)}
            >
              {columns.map((c) => (
                <td key={c.key} className={c.numeric ? 'num' : undefined}>
                  {c.render(row)}
                </td>
              ))}
            </tr>
          ))}
          {last < rows.length ? (
            <tr aria-hidden="true" style={{ height: (rows.length - last) * ROW_HEIGHT }}>
              <td colSpan={span} />
            </tr>
          ) : null}
        </tbody>
      </table>
    </div>
  );
}
