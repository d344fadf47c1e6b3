// MLflow's model-registry REST endpoints (model_registry.proto) over Gyre's RegistryService.
import type { RegistryService } from '../../registry/index.js';
import type { MlflowArgs } from './mlflow-args.js';
import type { MlflowRoutes, MlflowServices } from './mlflow-routes.js';
import { modelVersionMessage, registeredModelMessage } from './registry-messages.js';

function tagsOf(args: MlflowArgs): Record<string, string> {
  const tags: Record<string, string> = {};
  for (const tag of args.objectList('tags'))
    tags[tag.requiredString('key')] = tag.string('value') ?? '';
  return tags;
}

function searchOf(args: MlflowArgs) {
  return {
    filter: args.string('filter'),
    maxResults: args.int('max_results'),
    orderBy: args.stringList('order_by'),
    pageToken: args.string('page_token'),
  };
}

function registeredModelEndpoints(routes: MlflowRoutes, registry: RegistryService): void {
  routes.post('/registered-models/create', async (args) => ({
    registered_model: registeredModelMessage(
      await registry.createModel({
        name: args.requiredString('name'),
        description: args.string('description'),
        tags: tagsOf(args),
      }),
    ),
  }));
  routes.get('/registered-models/get', async (args) => ({
    registered_model: registeredModelMessage(await registry.getModel(args.requiredString('name'))),
  }));
  routes.post('/registered-models/rename', async (args) => ({
    registered_model: registeredModelMessage(
      await registry.renameModel(args.requiredString('name'), args.requiredString('new_name')),
    ),
  }));
  routes.patch('/registered-models/update', async (args) => ({
    registered_model: registeredModelMessage(
      await registry.updateModel(args.requiredString('name'), {
        description: args.string('description') ?? '',
      }),
    ),
  }));
  routes.delete('/registered-models/delete', async (args) => {
    await registry.deleteModel(args.requiredString('name'));
    return {};
  });
  routes.get('/registered-models/search', async (args) => {
    const page = await registry.searchModels(searchOf(args));
    return {
      registered_models: page.items.length > 0 ? page.items.map(registeredModelMessage) : undefined,
      next_page_token: page.nextPageToken,
    };
  });
  const latest = async (args: MlflowArgs) => {
    const versions = await registry.getLatestVersions(
      args.requiredString('name'),
      args.stringList('stages'),
    );
    return { model_versions: versions.length > 0 ? versions.map(modelVersionMessage) : undefined };
  };
  routes.post('/registered-models/get-latest-versions', latest);
  routes.get('/registered-models/get-latest-versions', latest);
  routes.post('/registered-models/set-tag', async (args) => {
    await registry.setModelTag(
      args.requiredString('name'),
      args.requiredString('key'),
      args.string('value') ?? '',
    );
    return {};
  });
  routes.delete('/registered-models/delete-tag', async (args) => {
    await registry.deleteModelTag(args.requiredString('name'), args.requiredString('key'));
    return {};
  });
  routes.post('/registered-models/alias', async (args) => {
    await registry.setAlias(
      args.requiredString('name'),
      args.requiredString('alias'),
      args.requiredInt('version'),
    );
    return {};
  });
  routes.delete('/registered-models/alias', async (args) => {
    await registry.deleteAlias(args.requiredString('name'), args.requiredString('alias'));
    return {};
  });
  routes.get('/registered-models/alias', async (args) => ({
    model_version: modelVersionMessage(
      await registry.getVersionByAlias(args.requiredString('name'), args.requiredString('alias')),
    ),
  }));
}

function modelVersionEndpoints(routes: MlflowRoutes, registry: RegistryService): void {
  routes.post('/model-versions/create', async (args) => ({
    model_version: modelVersionMessage(
      await registry.createVersion({
        name: args.requiredString('name'),
        source: args.requiredString('source'),
        runId: args.string('run_id') || undefined,
        runLink: args.string('run_link') || undefined,
        description: args.string('description'),
        tags: tagsOf(args),
      }),
    ),
  }));
  routes.get('/model-versions/get', async (args) => ({
    model_version: modelVersionMessage(
      await registry.getVersion(args.requiredString('name'), args.requiredInt('version')),
    ),
  }));
  routes.patch('/model-versions/update', async (args) => ({
    model_version: modelVersionMessage(
      await registry.updateVersion(args.requiredString('name'), args.requiredInt('version'), {
        description: args.string('description') ?? '',
      }),
    ),
  }));
  routes.delete('/model-versions/delete', async (args) => {
    await registry.deleteVersion(args.requiredString('name'), args.requiredInt('version'));
    return {};
  });
  routes.get('/model-versions/search', async (args) => {
    const page = await registry.searchVersions(searchOf(args));
    return {
      model_versions: page.items.length > 0 ? page.items.map(modelVersionMessage) : undefined,
      next_page_token: page.nextPageToken,
    };
  });
  routes.post('/model-versions/set-tag', async (args) => {
    await registry.setVersionTag(
      args.requiredString('name'),
      args.requiredInt('version'),
      args.requiredString('key'),
      args.string('value') ?? '',
    );
    return {};
  });
  routes.delete('/model-versions/delete-tag', async (args) => {
    await registry.deleteVersionTag(
      args.requiredString('name'),
      args.requiredInt('version'),
      args.requiredString('key'),
    );
    return {};
  });
  routes.post('/model-versions/transition-stage', async (args) => {
    const archive = args.bool('archive_existing_versions');
    if (archive === undefined) args.requiredString('archive_existing_versions');
    return {
      model_version: modelVersionMessage(
        await registry.transitionStage(
          args.requiredString('name'),
          args.requiredInt('version'),
          args.requiredString('stage'),
          archive,
        ),
      ),
    };
  });
  routes.get('/model-versions/get-download-uri', async (args) => ({
    artifact_uri: await registry.getDownloadUri(
      args.requiredString('name'),
      args.requiredInt('version'),
    ),
  }));
}

/** Registers every MLflow registry endpoint; called by mlflow-plugin.ts for each prefix. */
export function registerRegistryEndpoints(
  routes: MlflowRoutes,
  { registry }: Pick<MlflowServices, 'registry'>,
): void {
  registeredModelEndpoints(routes, registry);
  modelVersionEndpoints(routes, registry);
}
