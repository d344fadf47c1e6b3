import { joinArtifactPath, validateArtifactPath } from '../../artifacts/index.js';
import { requireStorePath } from '../../tracking/index.js';
import type { MlflowRoutes, MlflowServices } from './mlflow-routes.js';
import { runIdOf } from './run-endpoints.js';

/** artifacts/list: the files under a run's artifact root, one directory level at a time. */
export function registerArtifactEndpoints(
  routes: MlflowRoutes,
  { tracking, artifacts }: Pick<MlflowServices, 'tracking' | 'artifacts'>,
): void {
  routes.get('/artifacts/list', async (args) => {
    const { artifactUri } = await tracking.runs.artifactRoot(runIdOf(args));
    const root = requireStorePath(artifactUri);
    const path = validateArtifactPath(args.string('path') ?? '', { allowRoot: true });
    const base = joinArtifactPath(root, path);
    const entries = await artifacts.list(base);
    const files = entries.map((e) => ({
      path: e.path.slice(root.length + 1),
      is_dir: e.isDir,
      file_size: e.isDir ? undefined : e.size,
    }));
    return { root_uri: artifactUri, files: files.length > 0 ? files : undefined };
  });
}
