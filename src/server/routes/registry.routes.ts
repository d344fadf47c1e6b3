import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { RegistryService } from '../../registry/index.js';
import {
  modelJson,
  modelVersionSchema,
  registeredModelSchema,
  searchOf,
  searchQuerySchema,
  versionJson,
} from './registry-schemas.js';
import { access } from '../auth/route-access.js';

const tags = z.record(z.string(), z.string()).optional();
const nameParams = z.object({ name: z.string() });
const versionParams = z.object({ name: z.string(), version: z.string() });
const TAG = ['models'];

/** Gyre's own model-registry API under /api/v1: resource shapes, documented in OpenAPI. */
export function registryRoutes(registry: RegistryService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/api/v1/models',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'Search registered models',
          querystring: searchQuerySchema,
          response: {
            200: z.object({
              models: z.array(registeredModelSchema),
              nextPageToken: z.string().optional(),
            }),
          },
        },
      },
      async (request) => {
        const page = await registry.searchModels(searchOf(request.query));
        return { models: page.items.map(modelJson), nextPageToken: page.nextPageToken };
      },
    );
    app.post(
      '/api/v1/models',
      {
        config: access('EDIT'),
        schema: {
          tags: TAG,
          summary: 'Register a model name',
          body: z.object({ name: z.string(), description: z.string().optional(), tags }),
          response: { 201: registeredModelSchema },
        },
      },
      async (request, reply) =>
        reply.code(201).send(modelJson(await registry.createModel(request.body))),
    );
    app.get(
      '/api/v1/models/:name',
      {
        config: access('READ', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Get a registered model',
          params: nameParams,
          response: { 200: registeredModelSchema },
        },
      },
      async (request) => modelJson(await registry.getModel(request.params.name)),
    );
    app.patch(
      '/api/v1/models/:name',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Rename a model or change its description',
          params: nameParams,
          body: z.object({ name: z.string().optional(), description: z.string().optional() }),
          response: { 200: registeredModelSchema },
        },
      },
      async (request) => {
        let name = request.params.name;
        if (request.body.name !== undefined && request.body.name !== name)
          name = (await registry.renameModel(name, request.body.name)).name;
        if (request.body.description !== undefined)
          return modelJson(await registry.updateModel(name, request.body));
        return modelJson(await registry.getModel(name));
      },
    );
    app.delete(
      '/api/v1/models/:name',
      {
        config: access('EDIT', 'registered_model'),
        schema: { tags: TAG, summary: 'Delete a model and all its versions', params: nameParams },
      },
      async (request, reply) => {
        await registry.deleteModel(request.params.name);
        return reply.code(204).send();
      },
    );
    app.put(
      '/api/v1/models/:name/tags/:key',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Set a model tag',
          params: z.object({ name: z.string(), key: z.string() }),
          body: z.object({ value: z.string() }),
        },
      },
      async (request, reply) => {
        await registry.setModelTag(request.params.name, request.params.key, request.body.value);
        return reply.code(204).send();
      },
    );
    app.delete(
      '/api/v1/models/:name/tags/:key',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Delete a model tag',
          params: z.object({ name: z.string(), key: z.string() }),
        },
      },
      async (request, reply) => {
        await registry.deleteModelTag(request.params.name, request.params.key);
        return reply.code(204).send();
      },
    );
    app.put(
      '/api/v1/models/:name/aliases/:alias',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Point an alias at a version (re-points it atomically if it exists)',
          params: z.object({ name: z.string(), alias: z.string() }),
          body: z.object({ version: z.number().int() }),
          response: { 200: modelVersionSchema },
        },
      },
      async (request) => {
        const { name, alias } = request.params;
        await registry.setAlias(name, alias, request.body.version);
        return versionJson(await registry.getVersionByAlias(name, alias));
      },
    );
    app.get(
      '/api/v1/models/:name/aliases/:alias',
      {
        config: access('READ', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'The version an alias points at',
          params: z.object({ name: z.string(), alias: z.string() }),
          response: { 200: modelVersionSchema },
        },
      },
      async (request) =>
        versionJson(await registry.getVersionByAlias(request.params.name, request.params.alias)),
    );
    app.delete(
      '/api/v1/models/:name/aliases/:alias',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Delete an alias',
          params: z.object({ name: z.string(), alias: z.string() }),
        },
      },
      async (request, reply) => {
        await registry.deleteAlias(request.params.name, request.params.alias);
        return reply.code(204).send();
      },
    );
    app.get(
      '/api/v1/model-uris/resolve',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary:
            'Resolve models:/name/3, models:/name@alias, models:/name/latest, models:/name/Production or runs:/<id>/path',
          querystring: z.object({ uri: z.string() }),
          response: {
            200: z.object({
              uri: z.string(),
              artifactUri: z.string(),
              storePath: z.string().optional(),
              modelVersion: modelVersionSchema.optional(),
            }),
          },
        },
      },
      async (request) => {
        const resolved = await registry.resolveModelUri(request.query.uri);
        return {
          ...resolved,
          modelVersion: resolved.modelVersion ? versionJson(resolved.modelVersion) : undefined,
        };
      },
    );
    await app.register(versionRoutes(registry));
  };
}

function versionRoutes(registry: RegistryService): FastifyPluginAsyncZod {
  return async (app) => {
    const page = z.object({
      versions: z.array(modelVersionSchema),
      nextPageToken: z.string().optional(),
    });
    app.get(
      '/api/v1/model-versions',
      {
        config: access('READ'),
        schema: {
          tags: TAG,
          summary: 'Search model versions across models',
          querystring: searchQuerySchema,
          response: { 200: page },
        },
      },
      async (request) => {
        const found = await registry.searchVersions(searchOf(request.query));
        return { versions: found.items.map(versionJson), nextPageToken: found.nextPageToken };
      },
    );
    app.get(
      '/api/v1/models/:name/versions',
      {
        config: access('READ', 'registered_model'),
        schema: {
          tags: TAG,
          summary: "A model's versions (newest first unless ordered otherwise)",
          params: nameParams,
          querystring: searchQuerySchema,
          response: { 200: page },
        },
      },
      async (request) => {
        await registry.getModel(request.params.name);
        const found = await registry.searchVersions({
          ...searchOf(request.query),
          modelName: request.params.name,
        });
        return { versions: found.items.map(versionJson), nextPageToken: found.nextPageToken };
      },
    );
    app.post(
      '/api/v1/models/:name/versions',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Register a new version from a source URI (reads its MLmodel file)',
          params: nameParams,
          body: z.object({
            source: z.string(),
            runId: z.string().optional(),
            runLink: z.string().optional(),
            description: z.string().optional(),
            tags,
          }),
          response: { 201: modelVersionSchema },
        },
      },
      async (request, reply) =>
        reply
          .code(201)
          .send(
            versionJson(
              await registry.createVersion({ name: request.params.name, ...request.body }),
            ),
          ),
    );
    app.get(
      '/api/v1/models/:name/versions/:version',
      {
        config: access('READ', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Get a model version',
          params: versionParams,
          response: { 200: modelVersionSchema },
        },
      },
      async (request) =>
        versionJson(await registry.getVersion(request.params.name, request.params.version)),
    );
    app.patch(
      '/api/v1/models/:name/versions/:version',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Change a version’s description or stage',
          params: versionParams,
          body: z.object({
            description: z.string().optional(),
            stage: z.string().optional().describe('None, Staging, Production or Archived'),
            archiveExistingVersions: z.boolean().optional(),
          }),
          response: { 200: modelVersionSchema },
        },
      },
      async (request) => {
        const { name, version } = request.params;
        const { description, stage, archiveExistingVersions } = request.body;
        if (description !== undefined) await registry.updateVersion(name, version, { description });
        if (stage !== undefined)
          await registry.transitionStage(name, version, stage, archiveExistingVersions ?? false);
        return versionJson(await registry.getVersion(name, version));
      },
    );
    app.delete(
      '/api/v1/models/:name/versions/:version',
      {
        config: access('EDIT', 'registered_model'),
        schema: { tags: TAG, summary: 'Delete a model version', params: versionParams },
      },
      async (request, reply) => {
        await registry.deleteVersion(request.params.name, request.params.version);
        return reply.code(204).send();
      },
    );
    app.put(
      '/api/v1/models/:name/versions/:version/tags/:key',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Set a version tag',
          params: versionParams.extend({ key: z.string() }),
          body: z.object({ value: z.string() }),
        },
      },
      async (request, reply) => {
        const { name, version, key } = request.params;
        await registry.setVersionTag(name, version, key, request.body.value);
        return reply.code(204).send();
      },
    );
    app.delete(
      '/api/v1/models/:name/versions/:version/tags/:key',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: TAG,
          summary: 'Delete a version tag',
          params: versionParams.extend({ key: z.string() }),
        },
      },
      async (request, reply) => {
        const { name, version, key } = request.params;
        await registry.deleteVersionTag(name, version, key);
        return reply.code(204).send();
      },
    );
  };
}
