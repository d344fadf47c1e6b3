// Lint rules that keep DESIGN.md's walls standing: imports flow one way, domains are
// entered through their index.ts, and vendor SDKs stay inside the folder that wraps them.
import js from '@eslint/js';
import globals from 'globals';
import tseslint from 'typescript-eslint';
import importX from 'eslint-plugin-import-x';
import { createTypeScriptImportResolver } from 'eslint-import-resolver-typescript';

// Domains in their import order: each may import only those on earlier levels (DESIGN.md);
// ml, pure computation, is the base every domain may use.
// pipelines and monitoring share a level and never import each other; cross-level needs
// the other way go through ports wired in src/gyre.ts or through events.
const DOMAIN_LEVELS = [
  ['ml'],
  ['tracking', 'data'],
  ['registry'],
  ['features'],
  ['serving'],
  ['pipelines', 'monitoring'],
  ['governance', 'deploy'],
];
const DOMAINS = DOMAIN_LEVELS.flat();
const FOUNDATION = ['core', 'config', 'db', 'artifacts', 'events', 'search', 'auth'];
const EDGES = ['server', 'cli', 'sdk'];
const all = [...FOUNDATION, ...DOMAINS, ...EDGES, 'wiring'];
const others = (names) => all.filter((n) => !names.includes(n)).map((n) => `./src/${n}`);
const ROOT = ['./src/main.ts', './src/gyre.ts'];

const domainOrderZones = DOMAIN_LEVELS.flatMap((level, i) =>
  level.map((n) => ({
    target: `./src/${n}`,
    from: DOMAIN_LEVELS.flat()
      .filter((d) => d !== n && !DOMAIN_LEVELS.slice(0, i).flat().includes(d))
      .map((d) => `./src/${d}`),
    message: `${n} may import only the domains before it (${DOMAIN_LEVELS.slice(0, i).flat().join(', ') || 'none'}); use a port in src/gyre.ts or an event`,
  })),
);

const layerZones = [
  // core imports nothing of Gyre's own.
  { target: './src/core', from: [...others(['core']), ...ROOT] },
  // config and artifacts stand on core alone; db, events, search and auth on core and db.
  ...['config', 'artifacts'].map((n) => ({
    target: `./src/${n}`,
    from: [...others(['core', n]), ...ROOT],
  })),
  ...['db', 'events', 'search', 'auth'].map((n) => ({
    target: `./src/${n}`,
    from: [...others(['core', 'db', n]), ...ROOT],
  })),
  // ml is pure: no I/O layers at all.
  { target: './src/ml', from: [...others(['core', 'ml']), ...ROOT] },
  // Domain code never reaches up into the HTTP, CLI or SDK layers, or the composition root.
  ...DOMAINS.map((n) => ({
    target: `./src/${n}`,
    from: [...EDGES.map((e) => `./src/${e}`), './src/config', './src/wiring', ...ROOT],
  })),
  ...domainOrderZones,
  // Ports between domains, used by the composition root only.
  { target: './src/wiring', from: [...EDGES.map((e) => `./src/${e}`), ...ROOT] },
  // The SDK is a client of the HTTP API, not of the services behind it.
  { target: './src/sdk', from: [...others(['core', 'sdk']), ...ROOT] },
  // The edges see the composition root's Gyre type, never main.ts; server and CLI stay apart.
  { target: './src/server', from: ['./src/cli', './src/main.ts'] },
  { target: './src/cli', from: ['./src/server', './src/main.ts'] },
  // The composition root wires domains; serving HTTP and parsing argv are main.ts's.
  { target: './src/gyre.ts', from: [...EDGES.map((e) => `./src/${e}`), './src/main.ts'] },
];

// Other folders may enter a domain only through its public index.ts.
const indexOnlyZones = DOMAINS.map((n) => ({
  target: `./src/!(${n})/**/*`,
  from: `./src/${n}`,
  except: ['./index.ts'],
  message: `import ${n} through src/${n}/index.ts`,
}));

const vendorPatterns = [
  { group: ['fastify', 'fastify-*', '@fastify/*'], message: 'Fastify lives in src/server only' },
  {
    group: ['@aws-sdk/*'],
    message: 'the AWS SDK lives in src/artifacts/s3 and src/data/landing/sqs only',
  },
  { group: ['pg', 'better-sqlite3'], message: 'database drivers live in src/db only' },
  { group: ['@duckdb/*'], message: 'DuckDB lives in src/data/duckdb only' },
  { group: ['onnxruntime-node'], message: 'onnxruntime lives in src/serving/runtimes/onnx only' },
  {
    group: ['@kubernetes/*'],
    message: 'the Kubernetes client lives in executors/kubernetes and deploy only',
  },
];
const allowVendor = (files, groupPrefix) => ({
  files,
  rules: {
    'no-restricted-imports': [
      'error',
      { patterns: vendorPatterns.filter((p) => !p.group.some((g) => g.startsWith(groupPrefix))) },
    ],
  },
});

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      'ui/dist/**',
      'coverage/**',
      '.gyre/**',
      '.gyre-demo/**',
    ],
  },
  js.configs.recommended,
  { languageOptions: { globals: globals.node } },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.tsx'],
    plugins: { 'import-x': importX },
    settings: {
      'import-x/resolver-next': [
        createTypeScriptImportResolver({
          project: ['./tsconfig.json', './ui/tsconfig.json'],
          noWarnOnMultipleProjects: true,
        }),
      ],
    },
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'import-x/no-restricted-paths': ['error', { zones: [...layerZones, ...indexOnlyZones] }],
      'no-restricted-imports': ['error', { patterns: vendorPatterns }],
    },
  },
  allowVendor(['src/server/**/*.ts'], 'fastify'),
  allowVendor(['src/artifacts/s3/**/*.ts', 'src/data/landing/sqs/**/*.ts'], '@aws-sdk'),
  allowVendor(['src/db/**/*.ts'], 'pg'),
  allowVendor(['src/data/duckdb/**/*.ts'], '@duckdb'),
  allowVendor(['src/serving/runtimes/onnx/**/*.ts'], 'onnxruntime'),
  allowVendor(['src/pipelines/executors/kubernetes/**/*.ts', 'src/deploy/**/*.ts'], '@kubernetes'),
  // ml is pure computation: no file system, network, processes or databases.
  {
    files: ['src/ml/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...vendorPatterns,
            {
              group: [
                'fs',
                'node:fs',
                'fs/*',
                'node:fs/*',
                'net',
                'node:net',
                'http',
                'node:http',
                'child_process',
                'node:child_process',
              ],
              message: 'src/ml is pure: no I/O',
            },
          ],
        },
      ],
    },
  },
  // The web UI runs in a browser and reaches Gyre only through the SDK over the REST API.
  {
    files: ['ui/**/*.ts', 'ui/**/*.tsx'],
    languageOptions: { globals: globals.browser },
    rules: {
      'import-x/no-restricted-paths': [
        'error',
        {
          zones: [
            {
              target: './ui',
              from: all.filter((n) => n !== 'sdk' && n !== 'core').map((n) => `./src/${n}`),
              message: 'the UI uses Gyre only through the SDK (src/sdk) over the REST API',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['ui/vite.config.ts'],
    languageOptions: { globals: globals.node },
  },
  // Tests, benchmarks and scripts may use real components directly to set up fixtures.
  {
    files: ['**/*.test.ts', 'test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'src/**/test-*.ts'],
    rules: { 'no-restricted-imports': 'off', 'import-x/no-restricted-paths': 'off' },
  },
);
