/**
 * The URL of a compiled module under `dist/`, for starting worker threads. From built code
 * (`dist/…/x.js`) that is a path relative to the same `dist/`; from TypeScript run by tsx
 * or vitest (`src/…/x.ts`) it is the matching file under `<repo>/dist/`, because worker
 * threads must not run through a dev-time loader. `fromModule` is the caller's
 * `import.meta.url`; `distPath` the target relative to `dist/` (e.g. `ml/a/b.js`).
 */
export function builtModuleUrl(fromModule: string, distPath: string): URL {
  const here = new URL(fromModule);
  const marker = here.pathname.endsWith('.ts') ? '/src/' : '/dist/';
  const at = here.pathname.lastIndexOf(marker);
  if (at < 0) return new URL(distPath, here);
  return new URL(`${here.pathname.slice(0, at)}/dist/${distPath}`, here);
}
