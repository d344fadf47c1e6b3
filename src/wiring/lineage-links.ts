import { NotFoundError } from '../core/index.js';
import type { RegistryService } from '../registry/index.js';
import { LIMITS, type TrackingService } from '../tracking/index.js';
import type { LineageLinks, LinkedModelVersion, LinkedRun } from '../data/index.js';

/** Shortest digest prefix treated as naming a Gyre dataset version (MLflow logs short digests). */
const MIN_DIGEST_PREFIX = 8;
const PAGE = 1000;
/** Gyre prints digests as `sha256:5f1c0e7a4b2d`; people paste them as they are. */
const LABEL = 'sha256:';

const quote = (value: string) => `'${value.replaceAll("'", "''")}'`;

/** A logged digest as the hex it may be a prefix of: without Gyre's `sha256:` label. */
function hexOf(logged: string): string {
  return logged.toLowerCase().startsWith(LABEL) ? logged.slice(LABEL.length) : logged;
}

/** Whether a logged digest can name a Gyre version: 8 or more hex characters. */
const namesVersion = (hex: string) => hex.length >= MIN_DIGEST_PREFIX && /^[0-9a-f]+$/.test(hex);

/**
 * Lineage across domains: the runs that logged a dataset version as an input and the model
 * versions those runs produced — through the services' own search grammar, so no other
 * domain's tables are read here. A run names a version by its sha256 or a prefix of it of at
 * least 8 characters, with or without the `sha256:` label: MLflow caps a logged digest at 36,
 * Gyre's API takes all 64.
 */
export function lineageLinks(tracking: TrackingService, registry: RegistryService): LineageLinks {
  return {
    async runsUsingDigest(digest: string): Promise<LinkedRun[]> {
      const prefixes: string[] = [];
      const longest = Math.min(digest.length, LIMITS.fullDigestLength);
      for (let n = MIN_DIGEST_PREFIX; n <= longest; n++) {
        prefixes.push(quote(digest.slice(0, n)));
        if (LABEL.length + n <= LIMITS.fullDigestLength)
          prefixes.push(quote(LABEL + digest.slice(0, n)));
      }
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
            (i) => namesVersion(hexOf(i.digest)) && digest.startsWith(hexOf(i.digest)),
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
      // Only digests that can name a version: a 4-character one would match many.
      return (summary?.datasets ?? []).map((d) => hexOf(d.digest)).filter(namesVersion);
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
