#!/usr/bin/env node
// Fails when an installed package cannot run on the oldest Node.js the project promises
// (package.json `engines.node`): npm only warns about that, and only on the Node it runs on.
import { readFileSync } from 'node:fs';
import semver from 'semver';

const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
const lock = JSON.parse(readFileSync(new URL('../package-lock.json', import.meta.url), 'utf8'));
const oldest = semver.minVersion(pkg.engines.node);

const misfits = Object.entries(lock.packages)
  .filter(([path, entry]) => path !== '' && entry.engines?.node && !entry.optional)
  .filter(([, entry]) => !semver.satisfies(oldest, entry.engines.node))
  .map(
    ([path, entry]) =>
      `${path.replace(/^.*node_modules\//, '')}@${entry.version} needs node ${entry.engines.node}`,
  );

if (misfits.length > 0) {
  console.error(
    `These packages do not support Node.js ${oldest} (package.json engines ${pkg.engines.node}):`,
  );
  for (const line of misfits) console.error(`  ${line}`);
  console.error('Pin a version that does (package.json "overrides"), or raise engines.node.');
  process.exit(1);
}
