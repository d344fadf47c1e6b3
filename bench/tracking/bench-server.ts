// A server for the tracking benchmark in its own process, as it runs in production (the
// client must not share its event loop): `gyre <dir>` serves Gyre's MLflow API on SQLite in
// <dir>; `bare` serves the anchor that only parses and answers JSON. Prints its URL.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadConfig } from '../../src/config/index.js';
import { createGyre } from '../../src/gyre.js';
import { buildApp } from '../../src/server/index.js';

const [mode, dir] = process.argv.slice(2);
if (mode === 'gyre') {
  const config = loadConfig({
    cwd: dir,
    env: { GYRE_HOME: dir, GYRE_BODY_LIMIT_BYTES: String(64 * 1024 * 1024) },
  });
  const app = await buildApp(await createGyre(config), { version: 'bench' });
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
