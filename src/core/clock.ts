/** Time as the domain sees it; tests pass a fixed clock to make timestamps predictable. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

export function fixedClock(start: number, stepMs = 0): Clock {
  let t = start;
  return {
    now: () => {
      const current = t;
      t += stepMs;
      return current;
    },
  };
}
