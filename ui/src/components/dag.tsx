import { PALETTE } from './palette.js';

const TONE: Record<string, string> = {
  succeeded: '#116329',
  cached: '#1a7f37',
  running: '#0a58ca',
  pending: '#57606a',
  waiting_approval: '#7d4e00',
  failed: '#a40e26',
  cancelled: '#57606a',
  interrupted: '#a40e26',
  skipped: '#8c959f',
};

const W = 150;
const H = 44;
const GAP_X = 60;
const GAP_Y = 18;

/** Each step's column: the length of the longest chain of needs before it. */
export function layers(needs: Record<string, string[]>): Record<string, number> {
  const level: Record<string, number> = {};
  const visit = (step: string, seen: Set<string>): number => {
    if (level[step] !== undefined) return level[step];
    if (seen.has(step)) return 0; // a cycle cannot register; stay finite anyway
    seen.add(step);
    const before = (needs[step] ?? []).filter((n) => n in needs);
    level[step] = before.length ? Math.max(...before.map((n) => visit(n, seen) + 1)) : 0;
    return level[step];
  };
  for (const step of Object.keys(needs)) visit(step, new Set());
  return level;
}

/**
 * A pipeline's steps as a left-to-right graph: a box per step in the column of its depth, an
 * arrow per `needs`, and the step's live status written in the box (colour repeats it).
 */
export function Dag(props: {
  needs: Record<string, string[]>;
  status?: Record<string, string>;
  selected?: string;
  onSelect?(step: string): void;
}) {
  const level = layers(props.needs);
  const columns: string[][] = [];
  for (const step of Object.keys(props.needs)) (columns[level[step]] ??= []).push(step);
  const pos: Record<string, { x: number; y: number }> = {};
  columns.forEach((steps, c) =>
    steps.forEach((s, r) => (pos[s] = { x: 10 + c * (W + GAP_X), y: 10 + r * (H + GAP_Y) })),
  );
  const width = 20 + columns.length * (W + GAP_X) - GAP_X;
  const height = 20 + Math.max(1, ...columns.map((c) => c.length)) * (H + GAP_Y) - GAP_Y;
  return (
    <div className="dag">
      <svg width={width} height={height} role="group" aria-label="Pipeline steps">
        <defs>
          <marker
            id="arrow"
            viewBox="0 0 10 10"
            refX="10"
            refY="5"
            markerWidth="6"
            markerHeight="6"
            orient="auto"
          >
            <path d="M0,0 L10,5 L0,10 z" fill="#57606a" />
          </marker>
        </defs>
        {Object.entries(props.needs).flatMap(([step, needs]) =>
          needs
            .filter((n) => pos[n])
            .map((n) => (
              <line
                key={`${n}->${step}`}
                x1={pos[n].x + W}
                y1={pos[n].y + H / 2}
                x2={pos[step].x}
                y2={pos[step].y + H / 2}
                stroke="#57606a"
                markerEnd="url(#arrow)"
              />
            )),
        )}
        {Object.keys(props.needs).map((step) => {
          const status = props.status?.[step];
          const colour = status ? (TONE[status] ?? PALETTE[0]) : '#57606a';
          return (
            <g
              key={step}
              transform={`translate(${pos[step].x},${pos[step].y})`}
              onClick={() => props.onSelect?.(step)}
              onKeyDown={(e) => {
                if (e.key === 'Enter' || e.key === ' ') props.onSelect?.(step);
              }}
              role={props.onSelect ? 'button' : undefined}
              tabIndex={props.onSelect ? 0 : undefined}
              aria-pressed={props.onSelect ? props.selected === step : undefined}
              data-step={step}
              data-status={status}
              style={{ cursor: props.onSelect ? 'pointer' : undefined }}
            >
              <rect
                width={W}
                height={H}
                rx={6}
                fill="#fff"
                stroke={colour}
                strokeWidth={props.selected === step ? 3 : 1.5}
              />
              <text x={10} y={18} fill="#1b1f24" fontWeight={600}>
                {step.length > 20 ? `${step.slice(0, 19)}…` : step}
              </text>
              <text x={10} y={35} fill={colour}>
                {status ?? ''}
              </text>
            </g>
          );
        })}
      </svg>
    </div>
  );
}
