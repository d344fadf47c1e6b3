// The UI suites need dist/ui. `npm test` builds it (npm run build); a suite run on its own
// (`npx vitest run test/ui`) builds it here when it is missing or older than ui/.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../fixtures/data-files.js';

function newest(dir: string): number {
  let latest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    latest = Math.max(latest, entry.isDirectory() ? newest(path) : statSync(path).mtimeMs);
  }
  return latest;
}

export function ensureUiBuilt(): void {
  const shell = join(REPO_ROOT, 'dist/ui/index.html');
  // The bundle holds ui/ and the SDK it drives Gyre through.
  const sources = ['ui', 'src/sdk', 'src/core'].map((d) => newest(join(REPO_ROOT, d)));
  if (existsSync(shell) && statSync(shell).mtimeMs >= Math.max(...sources)) return;
  execFileSync(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'ui/vite.config.ts'],
    { cwd: REPO_ROOT, stdio: 'inherit' },
  );
}
