import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { PUBLIC } from '../auth/route-access.js';

/**
 * Paths the web UI never answers, even for a browser asking for HTML: the APIs, the inference
 * protocols, metrics and health. A typo there must stay the API's 404, not the UI's shell.
 */
export const UI_RESERVED_PREFIXES = [
  '/api',
  '/ajax-api',
  '/v1',
  '/v2',
  '/invocations',
  '/metrics',
  '/healthz',
  '/readyz',
];

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.txt': 'text/plain; charset=utf-8',
  '.woff2': 'font/woff2',
  '.map': 'application/json; charset=utf-8',
};

// Vite names everything under assets/ by content hash: a changed file is a new URL.
const IMMUTABLE = 'public, max-age=31536000, immutable';
// The shell names the current hashed assets, so a browser must revalidate it every time.
const REVALIDATE = 'no-cache';

interface UiFile {
  body: Buffer;
  type: string;
  etag: string;
  cacheControl: string;
}

/** Where the built UI is: dist/ui beside dist/server, or the repository's dist/ui under tsx. */
export function defaultUiRoot(): string | undefined {
  const candidates = [
    new URL('../../ui/', import.meta.url),
    new URL('../../../dist/ui/', import.meta.url),
  ];
  return candidates.map((u) => fileURLToPath(u)).find((dir) => existsSync(join(dir, 'index.html')));
}

function readTree(root: string): Map<string, UiFile> {
  const files = new Map<string, UiFile>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile()) {
        const urlPath = `/${relative(root, path).split(sep).join('/')}`;
        const body = readFileSync(path);
        files.set(urlPath, {
          body,
          type: TYPES[extname(path)] ?? 'application/octet-stream',
          etag: `"${createHash('sha256').update(body).digest('hex').slice(0, 16)}"`,
          cacheControl: urlPath.startsWith('/assets/') ? IMMUTABLE : REVALIDATE,
        });
      }
    }
  };
  walk(root);
  return files;
}

function send(request: FastifyRequest, reply: FastifyReply, file: UiFile) {
  reply.header('cache-control', file.cacheControl).header('etag', file.etag);
  if (request.headers['if-none-match'] === file.etag) return reply.code(304).send();
  return reply.type(file.type).send(file.body);
}

export interface UiStatic {
  /** Answers a GET for an unknown path with the UI's shell when it is a page of the UI. */
  fallback(request: FastifyRequest, reply: FastifyReply): boolean;
}

/** Is `path` a page of the single-page app (not an API, protocol or asset path)? */
export function isUiPage(path: string): boolean {
  if (UI_RESERVED_PREFIXES.some((p) => path === p || path.startsWith(`${p}/`))) return false;
  if (path.startsWith('/assets/')) return false;
  // A missing file (a dot in the last segment) is a 404, not the shell with the wrong type.
  return !/\.[a-z0-9]+$/i.test(path.split('/').pop() ?? '');
}

/**
 * Serves the built web UI (`dist/ui`, made by `npm run build`) at `/`: files read once at
 * start, hashed assets cached for a year, the HTML shell revalidated. Pages of the app
 * (`/runs/…`, `/models/…`) get the shell through `fallback`, which the not-found handler calls.
 * Without a build, `/` says how to make one.
 */
export function registerUiStatic(app: FastifyInstance, root = defaultUiRoot()): UiStatic {
  if (!root || !existsSync(join(root, 'index.html'))) {
    app.get('/', { config: PUBLIC_CONFIG, schema: { hide: true } }, async (_request, reply) =>
      reply
        .type('text/plain; charset=utf-8')
        .send('The web UI is not built. Run `npm run build`; the API is at /api/docs.\n'),
    );
    return { fallback: () => false };
  }
  const files = readTree(root);
  const shell = files.get('/index.html')!;
  // Hashed assets behind one route, looked up in the files read at start: a request can only
  // ever name one of them (no file-system path is built from the URL).
  app.get('/assets/*', { config: PUBLIC_CONFIG, schema: { hide: true } }, (request, reply) => {
    const file = files.get(request.url.split('?')[0]);
    if (!file) return reply.callNotFound();
    return send(request, reply, file);
  });
  for (const [path, file] of files) {
    if (path === '/index.html' || path.startsWith('/assets/')) continue;
    app.get(path, { config: PUBLIC_CONFIG, schema: { hide: true } }, (request, reply) =>
      send(request, reply, file),
    );
  }
  app.get('/', { config: PUBLIC_CONFIG, schema: { hide: true } }, (request, reply) =>
    send(request, reply, shell),
  );
  return {
    fallback(request, reply) {
      if (request.method !== 'GET' && request.method !== 'HEAD') return false;
      if (!isUiPage(request.url.split('?')[0])) return false;
      void send(request, reply, shell);
      return true;
    },
  };
}

const PUBLIC_CONFIG = { access: PUBLIC };
