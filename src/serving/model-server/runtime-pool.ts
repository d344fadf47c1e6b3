import type { Logger } from '../../core/index.js';
import type { LoadedModel, ModelLoader, ResolvedModel } from '../loader/model-loader.js';

interface Entry {
  loading: Promise<LoadedModel>;
  users: number;
}

/**
 * Loaded runtimes shared by key (`housing/3`): two deployments, or two revisions of one, that
 * route to the same version share one runtime. A runtime is unloaded when its last user
 * releases it.
 */
export class RuntimePool {
  private readonly entries = new Map<string, Entry>();

  constructor(
    private readonly loader: ModelLoader,
    private readonly logger: Logger,
  ) {}

  async acquire(model: ResolvedModel): Promise<LoadedModel> {
    let entry = this.entries.get(model.key);
    if (!entry) {
      const loading = this.loader.load(model);
      entry = { loading, users: 0 };
      this.entries.set(model.key, entry);
      loading.catch(() => {
        if (this.entries.get(model.key) === entry) this.entries.delete(model.key);
      });
    }
    entry.users++;
    try {
      return await entry.loading;
    } catch (error) {
      entry.users--;
      throw error;
    }
  }

  async release(key: string): Promise<void> {
    const entry = this.entries.get(key);
    if (!entry || --entry.users > 0) return;
    this.entries.delete(key);
    try {
      await (await entry.loading).runtime.unload();
    } catch (error) {
      this.logger.warn({ err: error, model: key }, 'unloading a model failed');
    }
  }

  get size(): number {
    return this.entries.size;
  }
}
