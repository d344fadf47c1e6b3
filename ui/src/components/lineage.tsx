import type { ReactNode } from 'react';
import { Link, path } from '../router.js';

interface Node {
  id: string;
  kind: string;
  label?: string;
  data?: Record<string, unknown>;
}

/** A link to the page of a lineage node (dataset version, run, model version, deployment). */
function nodeLink(node: Node | undefined, id: string): ReactNode {
  const label = node?.label ?? id;
  const [kind, rest] = [id.slice(0, id.indexOf(':')), id.slice(id.indexOf(':') + 1)];
  const at = rest.lastIndexOf('@');
  switch (kind) {
    case 'dataset':
      return (
        <Link to={`${path('datasets', rest.slice(0, at))}?version=${rest.slice(at + 1)}`}>
          dataset {label}
        </Link>
      );
    case 'run':
      return <Link to={path('runs', rest)}>run {label.slice(0, 12)}</Link>;
    case 'model_version':
      return (
        <Link to={`${path('models', rest.slice(0, at))}?version=${rest.slice(at + 1)}`}>
          model {label}
        </Link>
      );
    case 'deployment':
      return <Link to={path('deployments', rest)}>deployment {label}</Link>;
    default:
      return (
        <span>
          {kind} {label}
        </span>
      );
  }
}

/** A lineage graph (`GET /api/v1/lineage/…`) as a list of edges between linked nodes. */
export function LineageList({ graph }: { graph: Record<string, unknown> }) {
  const nodes = new Map(((graph.nodes as Node[] | undefined) ?? []).map((n) => [n.id, n]));
  // The same link can be recorded by more than one path (a transform per output): show it once.
  const edges = [
    ...new Map(
      ((graph.edges as { from: string; to: string }[] | undefined) ?? []).map((e) => [
        `${e.from} ${e.to}`,
        e,
      ]),
    ).values(),
  ];
  if (edges.length === 0) return <p className="muted">No lineage recorded.</p>;
  return (
    <ul className="list" aria-label="Lineage">
      {edges.map((e, i) => (
        <li key={i}>
          {nodeLink(nodes.get(e.from), e.from)} → {nodeLink(nodes.get(e.to), e.to)}
        </li>
      ))}
      {graph.truncated ? <li className="muted">… (truncated)</li> : null}
    </ul>
  );
}
