import { useCallback, useEffect, useRef, useState } from 'react';
import { GyreClient, GyreError } from './sdk.js';

// The one client the pages use: the typed SDK over the REST API, with the token the login page
// stored (the same permissions as any other client).
const TOKEN_KEY = 'gyre.token';
let current = makeClient(readToken());

function readToken(): string | undefined {
  try {
    return window.localStorage.getItem(TOKEN_KEY) ?? undefined;
  } catch {
    return undefined;
  }
}

function makeClient(token: string | undefined): GyreClient {
  return new GyreClient({ baseUrl: window.location.origin, token });
}

export function gyre(): GyreClient {
  return current;
}

export function hasToken(): boolean {
  return readToken() !== undefined;
}

/** Stores (or with undefined, forgets) the API token and rebuilds the client. */
export function setToken(token: string | undefined): void {
  if (token) window.localStorage.setItem(TOKEN_KEY, token);
  else window.localStorage.removeItem(TOKEN_KEY);
  current = makeClient(token);
  window.dispatchEvent(new Event(AUTH_CHANGE));
}

export const AUTH_CHANGE = 'gyre:auth';
export const AUTH_NEEDED = 'gyre:auth-needed';

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export interface Loaded<T> {
  data?: T;
  error?: Error;
  loading: boolean;
  reload(): void;
}

/**
 * Loads with the client and re-loads when `deps` change (and every `pollMs` when given);
 * an answer that arrives after a newer request started is dropped.
 */
export function useApi<T>(
  load: (client: GyreClient) => Promise<T>,
  deps: unknown[],
  options: { pollMs?: number } = {},
): Loaded<T> {
  const [state, setState] = useState<{ data?: T; error?: Error; loading: boolean }>({
    loading: true,
  });
  const [tick, setTick] = useState(0);
  const generation = useRef(0);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  useEffect(() => {
    const mine = ++generation.current;
    setState((s) => ({ ...s, loading: true }));
    load(current).then(
      (data) => mine === generation.current && setState({ data, loading: false }),
      (error: Error) => {
        if (mine !== generation.current) return;
        if (error instanceof GyreError && error.code === 'UNAUTHENTICATED')
          window.dispatchEvent(new Event(AUTH_NEEDED));
        setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
  }, [...deps, tick]);
  useEffect(() => {
    if (!options.pollMs) return;
    const timer = setInterval(reload, options.pollMs);
    return () => clearInterval(timer);
  }, [options.pollMs, reload]);
  return { ...state, reload };
}
