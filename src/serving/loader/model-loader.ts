import { readArtifact, type ArtifactStore } from '../../artifacts/index.js';
import { FailedPreconditionError, InvalidArgumentError } from '../../core/index.js';
import { parseMlmodel, type ModelVersion, type RegistryService } from '../../registry/index.js';
import type {
  FlavorManifest,
  ModelFiles,
  ModelRuntime,
  RuntimeFactory,
} from '../runtimes/model-runtime.js';
import { factoryFor } from '../runtimes/runtime-factories.js';

/** A model URI pinned to concrete files: what a deployment revision records per route. */
export interface ResolvedModel {
  /** The URI as the user wrote it, e.g. `models:/housing@champion`. */
  uri: string;
  /** Registered model name and version, for `models:/` URIs. */
  name?: string;
  version?: number;
  /** The model directory inside Gyre's artifact store. */
  storePath: string;
  /** Stable identity of the files: `housing/3`, or the store path for `runs:/` URIs. */
  key: string;
}

/** A resolved model whose manifest names a flavor Gyre serves. */
export interface InspectedModel extends ResolvedModel {
  flavor: string;
  flavors: string[];
}

/** A model loaded, warmed and ready for traffic. */
export interface LoadedModel extends InspectedModel {
  runtime: ModelRuntime;
}

/** Where a model name's files come from; RegistryService provides it. */
export type ModelSource = Pick<RegistryService, 'resolveModelUri'>;

const NO_MANIFEST_FILES: Record<string, string> = {
  'model.gyre.json': 'gyre',
  'model.onnx': 'onnx',
};

/**
 * Turns model URIs (`models:/name@alias`, `models:/name/3`, `runs:/<run>/model`) into loaded
 * runtimes: registry → artifact store → the factory of the best flavor → load → warm.
 */
export class ModelLoader {
  constructor(
    private readonly models: ModelSource,
    private readonly artifacts: ArtifactStore,
  ) {}

  /** Pins a URI to a version and its files; aliases resolve to what they point at now. */
  async resolve(uri: string): Promise<ResolvedModel> {
    const resolved = await this.models.resolveModelUri(uri);
    if (resolved.storePath === undefined)
      throw new FailedPreconditionError(
        `model ${uri} lives at ${resolved.artifactUri}, outside Gyre's artifact store; register a copy inside it`,
        { uri },
      );
    return pinned(uri, resolved.storePath, resolved.modelVersion);
  }

  /** Reads the manifest and picks the runtime, without loading: the check a deploy makes. */
  async inspect(model: ResolvedModel): Promise<InspectedModel & { manifest: FlavorManifest }> {
    const { flavors, manifestOf } = await this.readManifest(model);
    const factory = factoryFor(flavors, describe(model));
    return { ...model, flavor: factory.flavor, flavors, manifest: manifestOf(factory) };
  }

  /** Loads and warms a model's runtime. */
  async load(model: ResolvedModel): Promise<LoadedModel> {
    const inspected = await this.inspect(model);
    const factory = factoryFor([inspected.flavor], describe(model));
    const files = await this.readFiles(model.storePath, factory, inspected.manifest);
    const runtime = await factory.load(files, inspected.manifest);
    try {
      await runtime.warm();
    } catch (error) {
      await runtime.unload();
      throw error;
    }
    const { manifest: _manifest, ...rest } = inspected;
    return { ...rest, runtime };
  }

  private async readManifest(model: ResolvedModel): Promise<{
    flavors: string[];
    manifestOf(factory: RuntimeFactory): FlavorManifest;
  }> {
    const path = join(model.storePath, 'MLmodel');
    if (!(await this.artifacts.stat(path))) {
      // A bare directory Gyre can still read: its own JSON model or an .onnx file.
      for (const [file, flavor] of Object.entries(NO_MANIFEST_FILES)) {
        if (await this.artifacts.stat(join(model.storePath, file)))
          return {
            flavors: [flavor],
            manifestOf: () => ({ config: { data: file, model_file: file } }),
          };
      }
      throw new FailedPreconditionError(`model ${describe(model)} has no MLmodel file at ${path}`, {
        uri: model.uri,
      });
    }
    const parsed = parseMlmodel((await readArtifact(this.artifacts, path)).toString('utf8'));
    if (parsed.kind !== 'read')
      throw new FailedPreconditionError(
        `model ${describe(model)} has an unreadable MLmodel: ${parsed.kind === 'invalid' ? parsed.message : 'absent'}`,
        { uri: model.uri },
      );
    const { flavors, signature } = parsed.metadata;
    return {
      flavors: Object.keys(flavors),
      manifestOf: (factory) => ({
        config: (flavors[factory.flavor] ?? {}) as Record<string, unknown>,
        signatureInputs: signature?.inputs,
      }),
    };
  }

  private async readFiles(
    dir: string,
    factory: RuntimeFactory,
    manifest: FlavorManifest,
  ): Promise<ModelFiles> {
    const files = new Map<string, Uint8Array>();
    for (const file of ['MLmodel', ...factory.filesNeeded(manifest)]) {
      if (file.startsWith('/') || file.split('/').includes('..'))
        throw new InvalidArgumentError(`MLmodel names a file outside the model: ${file}`);
      const path = join(dir, file);
      if (!(await this.artifacts.stat(path))) continue;
      files.set(file, await readArtifact(this.artifacts, path));
    }
    return files;
  }
}

function join(dir: string, file: string): string {
  return dir === '' ? file : `${dir}/${file}`;
}

function pinned(uri: string, storePath: string, version?: ModelVersion): ResolvedModel {
  return {
    uri,
    storePath,
    ...(version ? { name: version.name, version: version.version } : {}),
    key: version ? `${version.name}/${version.version}` : storePath,
  };
}

/** How messages name a model: `housing/3`, else its URI. */
export function describe(model: Pick<ResolvedModel, 'uri' | 'name' | 'version'>): string {
  return model.name !== undefined ? `${model.name}/${model.version}` : model.uri;
}
