// The ceiling of bench/serving: a bare node:http server that reads the same request body,
// parses its JSON and answers a prediction-shaped JSON — everything an HTTP JSON service must
// do, and nothing a model server adds. With WORKERS > 1 it forks like `gyre serve --workers`.
//
//   PORT=18080 WORKERS=1 npx tsx bench/serving/ceiling-server.ts
import cluster from 'node:cluster';
import { createServer } from 'node:http';

const port = Number(process.env.PORT ?? 18080);
const workers = Number(process.env.WORKERS ?? 1);

if (workers > 1 && cluster.isPrimary) {
  for (let i = 0; i < workers; i++) cluster.fork();
  let up = 0;
  cluster.on('listening', () => {
    if (++up === workers) console.log(`ceiling listening at http://127.0.0.1:${port}`);
  });
} else {
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const text = Buffer.concat(chunks).toString('utf8');
      // A GET (the readiness probe) has no body.
      const body = (text === '' ? {} : JSON.parse(text)) as {
        dataframe_split?: { data: unknown[] };
      };
      const rows = body.dataframe_split?.data.length ?? 1;
      const answer = `{"predictions":[${new Array(rows).fill(0).join(',')}]}`;
      res.writeHead(200, [
        'content-type',
        'application/json',
        'content-length',
        String(Buffer.byteLength(answer)),
      ]);
      res.end(answer);
    });
  });
  server.keepAliveTimeout = 65_000;
  server.listen(port, '127.0.0.1', () => {
    if (!cluster.isWorker) console.log(`ceiling listening at http://127.0.0.1:${port}`);
  });
}
