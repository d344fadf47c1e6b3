import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PII_KINDS, type PiiService } from '../../data/index.js';
import {
  BUDGET_SCOPES,
  cardMarkdown,
  COST_DIMENSIONS,
  parseSince,
  RETENTION_KINDS,
  type GovernanceServices,
} from '../../governance/index.js';
import { access, authenticatedName } from '../auth/route-access.js';

const CARDS = ['model cards'];
const PRIVACY = ['privacy'];
const RETENTION = ['retention'];
const days = z.number().int().min(1);
const retentionPolicy = z.strictObject({
  kinds: z.array(z.enum(RETENTION_KINDS)).optional().describe('only these kinds (default: all)'),
  predictionLogDays: days.optional(),
  stepLogDays: days.optional(),
  runArtifactDays: days.optional(),
  datasetVersionDays: days.optional(),
  datasetKeepLatest: days.optional().describe('newest versions of each dataset always kept'),
});
const datasetParams = z.object({ name: z.string() });
const versionParams = z.object({ name: z.string(), version: z.string() });
const cardFields = z.strictObject({
  intendedUse: z.string().max(20_000).optional().describe('what the model is for and not for'),
  owner: z.string().max(500).optional().describe('the person or team answerable for it'),
  limitations: z.string().max(20_000).optional().describe('known limitations and caveats'),
  by: z.string().optional().describe('author when the server runs without authentication'),
});

/** Model cards, retention and costs: governance's REST API under /api/v1. */
export function governanceRoutes(
  governance: GovernanceServices,
  pii: PiiService,
): FastifyPluginAsyncZod {
  const { cards, retention, costs, budgets } = governance;
  return async (app) => {
    app.get(
      '/api/v1/budgets',
      {
        config: access('READ'),
        schema: { tags: ['costs'], summary: 'Budgets and what each spent in its current period' },
      },
      async () => ({ budgets: await budgets.check() }),
    );
    app.put(
      '/api/v1/budgets/:name',
      {
        config: access('EDIT'),
        schema: {
          tags: ['costs'],
          summary: 'Create or change a budget for an experiment, model or team',
          params: z.object({ name: z.string() }),
          body: z.strictObject({
            scope: z.enum(BUDGET_SCOPES),
            target: z.string().min(1),
            amountUsd: z.number().positive(),
            periodDays: z.number().int().min(1).optional(),
            thresholds: z.array(z.number().positive().max(10)).min(1).optional(),
            by: z.string().optional(),
          }),
        },
      },
      async (request) => {
        const { by, ...input } = request.body;
        return budgets.put(
          { name: request.params.name, ...input },
          authenticatedName(request) ?? by ?? 'api',
        );
      },
    );
    app.delete(
      '/api/v1/budgets/:name',
      {
        config: access('EDIT'),
        schema: {
          tags: ['costs'],
          summary: 'Delete a budget',
          params: z.object({ name: z.string() }),
        },
      },
      async (request, reply) => {
        await budgets.delete(request.params.name);
        return reply.code(204).send();
      },
    );
    app.post(
      '/api/v1/budgets/check',
      {
        config: access('EDIT'),
        schema: {
          tags: ['costs'],
          summary: "Check every budget now and move its threshold alerts (monitoring's alerts)",
        },
      },
      async () => ({ budgets: await budgets.check({ alert: true }) }),
    );
    app.get(
      '/api/v1/costs',
      {
        config: access('READ'),
        schema: {
          tags: ['costs'],
          summary:
            'Chargeback: recorded pipeline-step and serving resource use priced by the rate card, grouped',
          querystring: z.object({
            by: z.enum(COST_DIMENSIONS).default('team'),
            since: z.string().default('30d').describe('a duration back from now (30d) or ISO date'),
            until: z.string().optional().describe('ISO date (default: now)'),
          }),
        },
      },
      async (request) => {
        const now = Date.now();
        return costs.report({
          by: request.query.by,
          since: parseSince(request.query.since, now),
          until: request.query.until === undefined ? now : parseSince(request.query.until, now),
        });
      },
    );
    app.post(
      '/api/v1/retention/plan',
      {
        config: access('READ'),
        schema: {
          tags: RETENTION,
          summary:
            'Dry run: what the retention policy (configured, overridden by the body) would delete and the bytes it frees',
          body: retentionPolicy.optional(),
        },
      },
      async (request) => retention.plan(request.body ?? {}),
    );
    app.post(
      '/api/v1/retention/apply',
      {
        config: access('MANAGE'),
        schema: {
          tags: RETENTION,
          summary:
            'Delete what the plan lists (planned again now), never anything a live deployment reaches by lineage; recorded in the audit log',
          body: retentionPolicy.optional(),
        },
      },
      async (request) => retention.apply(request.body ?? {}, authenticatedName(request) ?? 'api'),
    );
    app.get(
      '/api/v1/datasets/:name/pii',
      {
        config: access('READ'),
        schema: { tags: PRIVACY, summary: "A dataset's PII column tags", params: datasetParams },
      },
      async (request) => ({ tags: await pii.list(request.params.name) }),
    );
    app.put(
      '/api/v1/datasets/:name/pii',
      {
        config: access('EDIT'),
        schema: {
          tags: PRIVACY,
          summary: 'Tag columns as personal data (column → kind; null removes a tag)',
          params: datasetParams,
          body: z.strictObject({
            tags: z.record(z.string(), z.enum(PII_KINDS).nullable()),
            by: z.string().optional(),
          }),
        },
      },
      async (request) => ({
        tags: await pii.tag(
          request.params.name,
          request.body.tags,
          authenticatedName(request) ?? request.body.by ?? 'api',
        ),
      }),
    );
    app.post(
      '/api/v1/datasets/:name/pii/scan',
      {
        config: access('READ'),
        schema: {
          tags: PRIVACY,
          summary:
            'Scan a dataset version (name or name@version) for personal data by column names and sampled values; counts only, never values',
          params: datasetParams,
          body: z
            .strictObject({
              sampleRows: z.number().int().min(1).max(100_000).optional(),
            })
            .optional(),
        },
      },
      async (request) => pii.scan(request.params.name, request.body?.sampleRows ?? 1000),
    );
    app.get(
      '/api/v1/models/:name/versions/:version/card',
      {
        config: access('READ', 'registered_model'),
        schema: {
          tags: CARDS,
          summary: 'The model card of a version: JSON, or Markdown with ?format=md',
          params: versionParams,
          querystring: z.object({ format: z.enum(['json', 'md']).default('json') }),
        },
      },
      async (request, reply) => {
        const card = await cards.card(request.params.name, request.params.version);
        if (request.query.format === 'md')
          return reply.type('text/markdown; charset=utf-8').send(cardMarkdown(card));
        return card;
      },
    );
    app.patch(
      '/api/v1/models/:name/versions/:version/card',
      {
        config: access('EDIT', 'registered_model'),
        schema: {
          tags: CARDS,
          summary: "Edit a card's intended use, owner or limitations (an empty string clears one)",
          params: versionParams,
          body: cardFields,
        },
      },
      async (request) => {
        const { by, ...patch } = request.body;
        return cards.patchFields(
          request.params.name,
          request.params.version,
          patch,
          authenticatedName(request) ?? by ?? 'api',
        );
      },
    );
  };
}
