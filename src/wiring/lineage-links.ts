import { NotFoundError } from '../core/index.js';
import type { RegistryService } from '../registry/index.js';
import { LIMITS, type TrackingService } from '../tracking/index.js';
import type { LineageLinks, LinkedModelVersion, LinkedRun } from '../data/index.js';

/** Shortest digest prefix treated as naming a Gyre dataset version (MLflow logs short digests). */
const MIN_DIGEST_PREFIX = 8;
const PAGE = 1000;

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/**
 * Lineage across domains: the runs that logged a dataset version as an input (matched by a
 * prefix of its sha256 of at least 8 characters: MLflow caps a logged digest at 36, so the
 * full 64 never fits) and the model versions those runs produced — through the services' own search
 * grammar, so no other domain's tables are read here.
 */
export function lineageLinks(tracking: TrackingService, registry: RegistryService): LineageLinks {
  return {
    async runsUsingDigest(digest: string): Promise<LinkedRun[]> {
      const prefixes: string[] = [];
      const longest = Math.min(digest.length, LIMITS.datasetDigestLength);
      for (let n = MIN_DIGEST_PREFIX; n <= longest; n++) prefixes.push(quote(digest.slice(0, n)));
      const experimentIds = (await tracking.experiments.list('ALL')).map((e) => e.experimentId);
      if (prefixes.length === 0 || experimentIds.length === 0) return [];
      const linked: LinkedRun[] = [];
      let pageToken: string | undefined;
      do {
        const page = await tracking.runs.search({
          experimentIds,
          filter: `datasets.digest IN (${prefixes.join(', ')})`,
          viewType: 'ALL',
          maxResults: PAGE,
          pageToken,
        });
        for (const run of page.items) {
          const input = run.inputs.find(
            (i) => digest.startsWith(i.digest) && i.digest.length >= MIN_DIGEST_PREFIX,
          );
          linked.push({
            runId: run.info.runId,
            runName: run.info.runName,
            experimentId: run.info.experimentId,
            digest: input?.digest ?? digest,
          });
        }
        pageToken = page.nextPageToken;
      } while (pageToken);
      return linked;
    },

    async modelVersionsFromRuns(runIds: string[]): Promise<LinkedModelVersion[]> {
      const linked: LinkedModelVersion[] = [];
      for (let i = 0; i < runIds.length; i += 100) {
        const filter = `run_id IN (${runIds
          .slice(i, i + 100)
          .map(quote)
          .join(', ')})`;
        let pageToken: string | undefined;
        do {
          const page = await registry.searchVersions({ filter, maxResults: PAGE, pageToken });
          for (const v of page.items) {
            if (v.runId) linked.push({ name: v.name, version: String(v.version), runId: v.runId });
          }
          pageToken = page.nextPageToken;
        } while (pageToken);
      }
      return linked;
    },

    async digestsUsedByRun(runId: string): Promise<string[]> {
      const summary = await tracking.runs.getRunSummary(runId);
      return summary ? summary.datasets.map((d) => d.digest) : [];
    },

    async runOfModelVersion(name: string, version: string): Promise<string | undefined> {
      try {
        return (await registry.getVersion(name, version)).runId;
      } catch (error) {
        if (error instanceof NotFoundError) return undefined;
        throw error;
      }
    },
  };
}
