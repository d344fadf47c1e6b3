/** A lease on a URL where Gyre's API answers, for steps that call back (MLflow clients, SDK). */
export interface ApiLease extends ApiAccess {
  release(): Promise<void>;
}

/** Where a step reaches the API, and the token it sends when the API requires one. */
export interface ApiAccess {
  url: string;
  token?: string;
}

/**
 * Where steps reach the API. A server hands out its own URL; the CLI, with no server up,
 * serves the API on an ephemeral loopback port for as long as some run holds a lease.
 * Wired by the composition root: pipelines never import the HTTP layer.
 */
export interface ApiEndpoint {
  acquire(): Promise<ApiLease>;
}

/** A fixed URL (a running server's). */
export function fixedEndpoint(url: string): ApiEndpoint {
  return { acquire: async () => ({ url, release: async () => {} }) };
}

/**
 * Shares one started endpoint among concurrent holders: started on the first acquire,
 * stopped when the last lease is released.
 */
export function sharedEndpoint(
  start: () => Promise<{ url: string; close(): Promise<void> }>,
): ApiEndpoint {
  let current: Promise<{ url: string; close(): Promise<void> }> | undefined;
  let holders = 0;
  return {
    async acquire() {
      holders++;
      current ??= start();
      let started: { url: string; close(): Promise<void> };
      try {
        started = await current;
      } catch (error) {
        holders--;
        current = undefined;
        throw error;
      }
      let released = false;
      return {
        url: started.url,
        release: async () => {
          if (released) return;
          released = true;
          if (--holders > 0) return;
          current = undefined;
          await started.close();
        },
      };
    },
  };
}
