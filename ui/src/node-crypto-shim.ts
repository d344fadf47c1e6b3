// The browser build's stand-in for node:crypto (vite.config.ts aliases it): src/core's id
// helpers, the only users, run on the Web Crypto API every modern browser has.
export function randomBytes(size: number) {
  const bytes = crypto.getRandomValues(new Uint8Array(size));
  return {
    toString: () => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join(''),
  };
}

export function randomUUID(): string {
  return crypto.randomUUID();
}
