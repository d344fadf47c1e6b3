// A server for the tracking benchmark in its own process, as it runs in production (the
// client must not share its event loop): `gyre <dir>` serves Gyre's MLflow API on SQLite in
// <dir>; `bare` serves the anchor that only parses and answers JSON. Prints its URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { openArtifactStore } from '../../src/artifacts/index.js';
import { migrateToLatest, openDatabase } from '../../src/db/index.js';
import { buildApp } from '../../src/server/index.js';
import { createTrackingService } from '../../src/tracking/index.js';

const [mode, dir] = process.argv.slice(2);
if (mode === 'gyre') {
  const db = openDatabase(`sqlite:${join(dir, 'gyre.db')}`);
  await migrateToLatest(db);
  const app = await buildApp({
    db,
    artifacts: openArtifactStore(join(dir, 'artifacts')),
    tracking: createTrackingService(db),
    version: 'bench',
    bodyLimitBytes: 64 * 1024 * 1024,
  });
  process.stdout.write(`${await app.listen({ host: '127.0.0.1', port: 0 })}\n`);
} else {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}');
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{}');
    });
  });
  server.listen(0, '127.0.0.1', () => {
    process.stdout.write(`http://127.0.0.1:${(server.address() as AddressInfo).port}\n`);
  });
}
