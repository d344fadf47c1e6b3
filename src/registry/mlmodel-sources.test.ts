// Registration reads MLmodel files through the ArtifactStore only, on every backend: a local
// directory and S3 (s3rver). Sources outside the store's root are registered but never read.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openArtifactStore, type ArtifactStore } from '../artifacts/index.js';
import { scratchS3Store } from '../artifacts/test-s3rver.js';
import { createTestDatabase, type TestDatabase } from '../db/test-database.js';
import { migrateToLatest } from '../db/index.js';
import { KyselyRegistryStore } from './kysely-registry-store.js';
import { RegistryService } from './registry-service.js';

interface Backend {
  name: string;
  open(): { store: ArtifactStore; outside: string; cleanup(): Promise<void> };
}

const BACKENDS: Backend[] = [
  {
    name: 'local',
    open() {
      const dir = mkdtempSync(join(tmpdir(), 'gyre-mlmodel-'));
      return {
        store: openArtifactStore(join(dir, 'root')),
        outside: join(dir, 'elsewhere'),
        cleanup: async () => rmSync(dir, { recursive: true, force: true }),
      };
    },
  },
  {
    name: 's3',
    open() {
      const scratch = scratchS3Store('mlmodel');
      return { ...scratch, outside: scratch.uri.replace(/\/([^/]+)$/, '/not-$1') };
    },
  },
];

describe.each(BACKENDS)('MLmodel sources [$name]', (backend) => {
  let testDb: TestDatabase;
  let store: ArtifactStore;
  let outside: string;
  let cleanup: () => Promise<void>;
  let registry: RegistryService;
  beforeEach(async () => {
    ({ store, outside, cleanup } = backend.open());
    testDb = await createTestDatabase('sqlite');
    await migrateToLatest(testDb.db);
    registry = new RegistryService({ store: new KyselyRegistryStore(testDb.db), artifacts: store });
    await registry.createModel({ name: 'm' });
  });
  afterEach(async () => {
    await cleanup();
    await testDb.drop();
  });

  it('reads the MLmodel under a source URI inside the root', async () => {
    await store.put('models/m/MLmodel', 'flavors:\n  onnx: {onnx_version: "1.15"}\n');
    const v = await registry.createVersion({ name: 'm', source: store.uriOf('models/m') });
    expect(v.metadata?.flavors).toEqual({ onnx: { onnx_version: '1.15' } });
    const proxied = await registry.createVersion({
      name: 'm',
      source: 'mlflow-artifacts:/x/model',
    });
    expect(proxied.metadata).toBeUndefined();
    await store.put('mlflow/x/model/MLmodel', 'flavors: {python_function: {}}\n');
    const later = await registry.createVersion({ name: 'm', source: 'mlflow-artifacts:/x/model' });
    expect(later.metadata?.flavors).toEqual({ python_function: {} });
  });

  it('registers a source outside the root without reading it', async () => {
    const v = await registry.createVersion({ name: 'm', source: `${outside}/model` });
    expect(v).toMatchObject({ status: 'READY', source: `${outside}/model` });
    expect(v.metadata).toBeUndefined();
  });
});
