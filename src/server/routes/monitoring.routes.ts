import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import {
  ALERT_STATES,
  MAX_FEEDBACK_BATCH,
  monitorInputSchema,
  type FeedbackLabel,
  type MonitoringServices,
} from '../../monitoring/index.js';
import { access, authenticatedName } from '../auth/route-access.js';

const MONITORS = ['monitors'];
const ALERTS = ['alerts'];
const nameParams = z.object({ name: z.string() });
const idParams = z.object({ id: z.string() });
const time = z.union([z.number().int(), z.string()]);

const label = z.union([
  z.strictObject({
    requestId: z.string().min(1).describe('the request id the prediction was answered under'),
    rowIndex: z.number().int().min(0).optional().describe('the row of a batch request (0)'),
    label: z.union([z.number(), z.boolean()]),
  }),
  z.strictObject({
    routingKey: z
      .string()
      .min(1)
      .describe('matched to the latest prediction for the key at or before `time`'),
    time: time.describe('epoch milliseconds or ISO 8601'),
    label: z.union([z.number(), z.boolean()]),
  }),
]);

/** Monitors, their window results, alerts, label feedback, rollouts and the monitoring snapshot. */
export function monitoringRoutes(monitoring: MonitoringServices): FastifyPluginAsyncZod {
  const { service, feedback, rollouts } = monitoring;
  return async (app) => {
    app.get(
      '/api/v1/monitors',
      {
        config: access('READ'),
        schema: {
          tags: MONITORS,
          summary: 'List monitors with their latest window result',
          querystring: z.object({ deployment: z.string().optional() }),
        },
      },
      async (request) => ({ monitors: await service.listMonitors(request.query.deployment) }),
    );
    app.post(
      '/api/v1/monitors',
      {
        config: access('EDIT'),
        schema: {
          tags: MONITORS,
          summary:
            'Create a monitor: a deployment, a reference, a window, thresholds and alert rules',
          body: monitorInputSchema,
        },
      },
      async (request, reply) => reply.code(201).send(await service.createMonitor(request.body)),
    );
    app.get(
      '/api/v1/monitors/:name',
      {
        config: access('READ'),
        schema: {
          tags: MONITORS,
          summary: 'Get a monitor and its latest result',
          params: nameParams,
        },
      },
      async (request) => service.getMonitor(request.params.name),
    );
    app.delete(
      '/api/v1/monitors/:name',
      {
        config: access('EDIT'),
        schema: { tags: MONITORS, summary: 'Delete a monitor and its results', params: nameParams },
      },
      async (request, reply) => {
        await service.deleteMonitor(request.params.name);
        return reply.code(204).send();
      },
    );
    app.post(
      '/api/v1/monitors/:name/evaluate',
      {
        config: access('EDIT'),
        schema: {
          tags: MONITORS,
          summary:
            "Check the monitor's next window now (or a given past range): store the result, move its alerts",
          params: nameParams,
          body: z
            .strictObject({
              start: z
                .number()
                .int()
                .optional()
                .describe('epoch ms; with end, a past range that leaves the cursor where it is'),
              end: z.number().int().optional(),
            })
            .refine((b) => (b.start === undefined) === (b.end === undefined), {
              message: 'give both start and end, or neither',
              path: ['end'],
            })
            .optional(),
        },
      },
      async (request) => {
        const { start, end } = request.body ?? {};
        return service.evaluate(
          request.params.name,
          start !== undefined && end !== undefined ? { start, end } : undefined,
        );
      },
    );
    app.get(
      '/api/v1/monitors/:name/results',
      {
        config: access('READ'),
        schema: {
          tags: MONITORS,
          summary: "The monitor's window results, newest first",
          params: nameParams,
          querystring: z.object({ limit: z.coerce.number().int().min(1).max(1000).default(50) }),
        },
      },
      async (request) => ({
        results: await service.results(request.params.name, request.query.limit),
      }),
    );
    app.get(
      '/api/v1/alerts',
      {
        config: access('READ'),
        schema: {
          tags: ALERTS,
          summary: 'List alerts, newest first',
          querystring: z.object({
            state: z.enum(ALERT_STATES).optional(),
            monitor: z.string().optional(),
            deployment: z.string().optional(),
            rule: z.string().optional(),
            limit: z.coerce.number().int().min(1).max(1000).default(200),
          }),
        },
      },
      async (request) => ({ alerts: await service.listAlerts(request.query) }),
    );
    app.get(
      '/api/v1/alerts/:id',
      {
        config: access('READ'),
        schema: {
          tags: ALERTS,
          summary: 'Get an alert with its evidence and the actions it ran',
          params: idParams,
        },
      },
      async (request) => service.getAlert(request.params.id),
    );
    app.post(
      '/api/v1/alerts/:id/ack',
      {
        config: access('EDIT'),
        schema: {
          tags: ALERTS,
          summary: 'Acknowledge a pending or firing alert',
          params: idParams,
          body: z.object({ by: z.string().max(256).optional() }).optional(),
        },
      },
      async (request) =>
        service.ackAlert(
          request.params.id,
          authenticatedName(request) ?? request.body?.by ?? 'api',
        ),
    );
    app.post(
      '/api/v1/deployments/:name/feedback',
      {
        config: access('EDIT'),
        schema: {
          tags: ['deployments'],
          summary:
            "Send ground-truth labels for a deployment's predictions (idempotent; all or nothing)",
          params: nameParams,
          body: z.strictObject({ labels: z.array(label).min(1).max(MAX_FEEDBACK_BATCH) }),
        },
      },
      async (request) => feedback.send(request.params.name, request.body.labels as FeedbackLabel[]),
    );
    app.get(
      '/api/v1/deployments/:name/rollout',
      {
        config: access('READ'),
        schema: {
          tags: ['deployments'],
          summary: "The deployment's driven rollout and each step's canary analysis",
          params: nameParams,
        },
      },
      async (request) => rollouts.get(request.params.name),
    );
    app.post(
      '/api/v1/deployments/:name/rollout',
      {
        config: access('EDIT'),
        schema: {
          tags: ['deployments'],
          summary:
            'Start, pause, resume or advance (end the current pause now) the rollout of a canary',
          params: nameParams,
          body: z.strictObject({
            action: z.enum(['start', 'pause', 'resume', 'advance']),
            steps: z
              .array(
                z.strictObject({
                  weight: z.number().min(0).max(100),
                  pauseMs: z.number().int().min(0),
                }),
              )
              .min(1)
              .optional()
              .describe("start: the plan (default: the deployment's own)"),
          }),
        },
      },
      async (request) => {
        const name = request.params.name;
        switch (request.body.action) {
          case 'start':
            await rollouts.start(name, {
              plan: request.body.steps ? { steps: request.body.steps } : undefined,
              createdBy: authenticatedName(request) ?? 'api',
            });
            break;
          case 'pause':
            await rollouts.pause(name);
            break;
          case 'resume':
            await rollouts.resume(name);
            break;
          case 'advance':
            await rollouts.advance(name);
            break;
        }
        return rollouts.get(name);
      },
    );
    app.get(
      '/api/v1/monitoring/snapshot',
      {
        config: access('READ'),
        schema: {
          tags: MONITORS,
          summary:
            'The latest monitor result per deployment and the open alerts (what gauges read)',
        },
      },
      async () => monitoring.snapshot(),
    );
  };
}
