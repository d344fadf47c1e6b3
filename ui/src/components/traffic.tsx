import type { ApiDeploymentRevision } from '../sdk.js';
import { PALETTE } from './palette.js';

/** A deployment's live traffic split as one bar, each route labelled with its share. */
export function TrafficSplit({ revision }: { revision: ApiDeploymentRevision }) {
  const routes = revision.routes.filter((r) => r.role !== 'shadow');
  const shadows = revision.routes.filter((r) => r.role === 'shadow');
  const label = routes.map((r) => `${r.key} ${r.weight}%`).join(', ');
  return (
    <div className="traffic">
      <div className="traffic-bar" role="img" aria-label={`traffic: ${label}`}>
        {routes.map((r, i) => (
          <span
            key={r.key + r.role}
            style={{ width: `${r.weight}%`, background: PALETTE[i % PALETTE.length] }}
            title={`${r.key} (${r.role}) ${r.weight}%`}
          />
        ))}
      </div>
      <ul className="traffic-legend">
        {routes.map((r, i) => (
          <li key={r.key + r.role}>
            <span className="swatch" style={{ background: PALETTE[i % PALETTE.length] }} />
            {r.key} <span className="muted">{r.role}</span> <strong>{r.weight}%</strong>
          </li>
        ))}
        {shadows.map((r) => (
          <li key={`shadow-${r.key}`}>
            {r.key} <span className="muted">shadow copy</span>
          </li>
        ))}
      </ul>
    </div>
  );
}
