import { InvalidArgumentError } from '../../core/index.js';
import { LIMITS, RUN_STATUSES, type Metric } from '../../tracking/index.js';
import { viewTypeOf } from './experiment-endpoints.js';
import type { MlflowArgs } from './mlflow-args.js';
import { authenticatedName } from '../auth/route-access.js';
import type { MlflowRoutes, MlflowServices } from './mlflow-routes.js';
import { runInfoJson, runJson } from './tracking-json.js';

/** MLflow names the run `run_id`; older clients send the deprecated `run_uuid`. */
export function runIdOf(args: MlflowArgs): string {
  return args.string('run_id') || args.string('run_uuid') || args.requiredString('run_id');
}

function metricOf(m: MlflowArgs): Metric {
  return {
    key: m.requiredString('key'),
    value: m.requiredDouble('value'),
    timestamp: m.requiredInt('timestamp'),
    step: m.int('step') ?? 0,
  };
}

function keyValuesOf(args: MlflowArgs, field: string): { key: string; value: string }[] {
  return args
    .objectList(field)
    .map((t) => ({ key: t.requiredString('key'), value: t.string('value') ?? '' }));
}

/**
 * MLflow refuses a logged digest over 36 characters and so does its wire here, so a script
 * behaves the same against both; Gyre's own API takes the whole sha256 (64).
 */
function mlflowDigest(dataset: MlflowArgs, field: string): string {
  const digest = dataset.requiredString('digest');
  if (digest.length > LIMITS.datasetDigestLength)
    throw new InvalidArgumentError(
      `${field} is longer than ${LIMITS.datasetDigestLength} characters (MLflow's limit): log a prefix of the sha256 (lineage matches 8 characters or more) or the whole digest through Gyre's API (/api/v1/runs/{runId}/inputs)`,
      { field },
    );
  return digest;
}

/** runs/* and metrics/get-history. */
export function registerRunEndpoints(
  routes: MlflowRoutes,
  { tracking }: Pick<MlflowServices, 'tracking'>,
): void {
  const runs = tracking.runs;

  routes.post('/runs/create', async (args, request) => {
    const run = await runs.create({
      principal: authenticatedName(request),
      experimentId: args.string('experiment_id') || undefined,
      userId: args.string('user_id'),
      runName: args.string('run_name'),
      startTime: args.int('start_time'),
      tags: keyValuesOf(args, 'tags'),
    });
    return { run: runJson(run) };
  });

  routes.get('/runs/get', async (args) => ({ run: runJson(await runs.get(runIdOf(args))) }));

  routes.post('/runs/update', async (args) => {
    const info = await runs.update(runIdOf(args), {
      status: args.enumValue('status', RUN_STATUSES, { numbered: true }),
      endTime: args.int('end_time'),
      runName: args.string('run_name'),
    });
    return { run_info: runInfoJson(info) };
  });

  routes.post('/runs/delete', async (args) => {
    await runs.delete(runIdOf(args));
    return {};
  });

  routes.post('/runs/restore', async (args) => {
    await runs.restore(runIdOf(args));
    return {};
  });

  routes.post('/runs/log-metric', async (args) => {
    await runs.logMetric(runIdOf(args), metricOf(args));
    return {};
  });

  routes.post('/runs/log-parameter', async (args) => {
    await runs.logParam(runIdOf(args), args.requiredString('key'), args.requiredString('value'));
    return {};
  });

  routes.post('/runs/set-tag', async (args) => {
    await runs.setTag(runIdOf(args), args.requiredString('key'), args.string('value') ?? '');
    return {};
  });

  routes.post('/runs/delete-tag', async (args) => {
    await runs.deleteTag(runIdOf(args), args.requiredString('key'));
    return {};
  });

  routes.post('/runs/log-batch', async (args) => {
    await runs.logBatch(runIdOf(args), {
      metrics: args.objectList('metrics').map(metricOf),
      params: keyValuesOf(args, 'params'),
      tags: keyValuesOf(args, 'tags'),
    });
    return {};
  });

  routes.post('/runs/log-inputs', async (args) => {
    const datasets = args.objectList('datasets').map((input, i) => {
      const dataset = input.object('dataset');
      if (!dataset) return args.requiredString(`datasets[${i}].dataset`) as never;
      return {
        name: dataset.requiredString('name'),
        digest: mlflowDigest(dataset, `datasets[${i}].dataset.digest`),
        sourceType: dataset.requiredString('source_type'),
        source: dataset.requiredString('source'),
        schema: dataset.string('schema'),
        profile: dataset.string('profile'),
        tags: keyValuesOf(input, 'tags'),
      };
    });
    await runs.logInputs(runIdOf(args), datasets);
    return {};
  });

  routes.post('/runs/log-model', async (args) => {
    await runs.logModel(runIdOf(args), args.requiredString('model_json'));
    return {};
  });

  const search = async (args: MlflowArgs) => {
    const page = await runs.search({
      experimentIds: args.stringList('experiment_ids'),
      filter: args.string('filter'),
      orderBy: args.stringList('order_by'),
      maxResults: args.int('max_results'),
      pageToken: args.string('page_token'),
      viewType: viewTypeOf(args, 'run_view_type'),
    });
    return {
      runs: page.items.length > 0 ? page.items.map(runJson) : undefined,
      next_page_token: page.nextPageToken,
    };
  };
  routes.post('/runs/search', search);
  routes.get('/runs/search', search);

  routes.get('/metrics/get-history', async (args) => {
    const page = await runs.metricHistoryJson(runIdOf(args), args.requiredString('metric_key'), {
      maxResults: args.int('max_results'),
      pageToken: args.string('page_token'),
    });
    // Assembled as text: a 100,000-point history is the hot path of this endpoint.
    const token = page.nextPageToken
      ? `"next_page_token":${JSON.stringify(page.nextPageToken)}`
      : '';
    if (page.count === 0) return `{${token}}`;
    return `{"metrics":${page.json}${token ? `,${token}` : ''}}`;
  });
}
