/**
 * Topological order of steps by `needs`, or the first cycle found (as the list of steps
 * around it, the first repeated at the end: a → b → a).
 */
export function topologicalOrder(
  needs: Record<string, readonly string[]>,
): { order: string[] } | { cycle: string[] } {
  const order: string[] = [];
  const state = new Map<string, 'visiting' | 'done'>();
  const stack: string[] = [];
  const visit = (step: string): string[] | undefined => {
    const s = state.get(step);
    if (s === 'done') return undefined;
    if (s === 'visiting') return [...stack.slice(stack.indexOf(step)), step];
    state.set(step, 'visiting');
    stack.push(step);
    for (const need of needs[step] ?? []) {
      if (!(need in needs)) continue;
      const cycle = visit(need);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(step, 'done');
    order.push(step);
    return undefined;
  };
  for (const step of Object.keys(needs).sort()) {
    const cycle = visit(step);
    if (cycle) return { cycle };
  }
  return { order };
}

/** Every step `step` depends on, directly or through others. */
export function ancestorsOf(needs: Record<string, readonly string[]>, step: string): Set<string> {
  const seen = new Set<string>();
  const walk = (s: string): void => {
    for (const n of needs[s] ?? []) {
      if (seen.has(n)) continue;
      seen.add(n);
      walk(n);
    }
  };
  walk(step);
  return seen;
}
