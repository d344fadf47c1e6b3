import { readdir, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sha256Hex, sha256OfFile, type ArtifactStore } from '../../artifacts/index.js';
import { FailedPreconditionError } from '../../core/index.js';
import type { TrackingService } from '../../tracking/index.js';
import type { OutputValue } from '../steps/step-types.js';

async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/**
 * Uploads a file or directory a step wrote into its tracking run's artifacts, under `name`.
 * Its digest covers every file's path and content, so the cache sees any changed byte.
 */
export async function publishArtifact(
  deps: { artifacts: ArtifactStore; tracking: TrackingService },
  stepRunId: string,
  name: string,
  localPath: string,
): Promise<OutputValue> {
  const root = await deps.tracking.runs.artifactRoot(stepRunId);
  if (root.storePath === undefined)
    throw new FailedPreconditionError(
      `run ${stepRunId} keeps artifacts outside Gyre's store (${root.artifactUri})`,
    );
  const target = `${root.storePath}/${name}`;
  const info = await stat(localPath);
  let digest: string;
  if (info.isDirectory()) {
    const lines: string[] = [];
    for (const file of await filesUnder(localPath)) {
      const rel = relative(localPath, file).split(sep).join('/');
      lines.push(`${rel}\0${await sha256OfFile(file)}`);
      await deps.artifacts.putFile(`${target}/${rel}`, file);
    }
    digest = sha256Hex(lines.join('\n'));
  } else {
    digest = await sha256OfFile(localPath);
    await deps.artifacts.putFile(target, localPath);
  }
  return { type: 'artifact', value: deps.artifacts.uriOf(target), digest, storePath: target };
}
