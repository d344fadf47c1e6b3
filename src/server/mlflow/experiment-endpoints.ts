import { VIEW_TYPES, type ViewType } from '../../tracking/index.js';
import type { MlflowArgs } from './mlflow-args.js';
import type { MlflowRoutes, MlflowServices } from './mlflow-routes.js';
import { experimentJson } from './tracking-json.js';

/** Protobuf-JSON enums arrive by name, or by number from some clients. */
export function viewTypeOf(args: MlflowArgs, field: string): ViewType | undefined {
  return args.enumValue(field, VIEW_TYPES, { numbered: true });
}

function tagsOf(args: MlflowArgs): { key: string; value: string }[] {
  return args.objectList('tags').map((t) => ({
    key: t.requiredString('key'),
    value: t.string('value') ?? '',
  }));
}

/** experiments/*: create, get, get-by-name, search, list (pre-2.0), update, delete, restore, tags. */
export function registerExperimentEndpoints(
  routes: MlflowRoutes,
  { tracking }: Pick<MlflowServices, 'tracking'>,
): void {
  const experiments = tracking.experiments;

  routes.post('/experiments/create', async (args) => {
    const experiment = await experiments.create({
      name: args.requiredString('name'),
      // A location is a URI: a number here is a client's mistake, not a path named "0".
      artifactLocation: args.text('artifact_location'),
      tags: tagsOf(args),
    });
    return { experiment_id: experiment.experimentId };
  });

  routes.get('/experiments/get', async (args) => ({
    experiment: experimentJson(await experiments.get(args.requiredString('experiment_id'))),
  }));

  routes.get('/experiments/get-by-name', async (args) => ({
    experiment: experimentJson(await experiments.getByName(args.requiredString('experiment_name'))),
  }));

  const search = async (args: MlflowArgs) => {
    const page = await experiments.search({
      filter: args.string('filter'),
      orderBy: args.stringList('order_by'),
      maxResults: args.int('max_results'),
      pageToken: args.string('page_token'),
      viewType: viewTypeOf(args, 'view_type'),
    });
    return {
      experiments: page.items.length > 0 ? page.items.map(experimentJson) : undefined,
      next_page_token: page.nextPageToken,
    };
  };
  routes.get('/experiments/search', search);
  routes.post('/experiments/search', search);

  // Removed from MLflow 2.0 but still called by older clients (the npm `mlflow` package).
  routes.get('/experiments/list', async (args) => {
    const all = await experiments.list(viewTypeOf(args, 'view_type'));
    return { experiments: all.length > 0 ? all.map(experimentJson) : undefined };
  });

  routes.post('/experiments/update', async (args) => {
    const id = args.requiredString('experiment_id');
    const newName = args.string('new_name');
    if (newName !== undefined) await experiments.rename(id, newName);
    else await experiments.get(id);
    return {};
  });

  routes.post('/experiments/delete', async (args) => {
    await experiments.delete(args.requiredString('experiment_id'));
    return {};
  });

  routes.post('/experiments/restore', async (args) => {
    await experiments.restore(args.requiredString('experiment_id'));
    return {};
  });

  routes.post('/experiments/set-experiment-tag', async (args) => {
    await experiments.setTag(
      args.requiredString('experiment_id'),
      args.requiredString('key'),
      args.string('value') ?? '',
    );
    return {};
  });

  routes.post('/experiments/delete-experiment-tag', async (args) => {
    await experiments.deleteTag(args.requiredString('experiment_id'), args.requiredString('key'));
    return {};
  });
}
