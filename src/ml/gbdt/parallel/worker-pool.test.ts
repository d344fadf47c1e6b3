import { describe, expect, it } from 'vitest';
import { builtModuleUrl } from './built-module-url.js';
import { startWorkers } from './worker-pool.js';

describe('training worker start-up', () => {
  it('points TypeScript sources at the built file under dist/', () => {
    expect(
      builtModuleUrl('file:///repo/src/ml/gbdt/parallel/worker-pool.ts', 'ml/x/y.js').href,
    ).toBe('file:///repo/dist/ml/x/y.js');
    expect(
      builtModuleUrl('file:///repo/dist/ml/gbdt/parallel/worker-pool.js', 'ml/x/y.js').href,
    ).toBe('file:///repo/dist/ml/x/y.js');
  });

  it('fails at once, saying to build, when the built worker is missing', () => {
    const missing = new URL('file:///nonexistent/dist/ml/gbdt/parallel/gbdt-worker.js');
    expect(() => startWorkers(missing, 1)).toThrow(/npm run build/);
  });
});
