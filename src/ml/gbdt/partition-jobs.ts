import type { TaskRunner } from './task-runner.js';
import { COMMAND, JOB, ROW_CHUNK } from './training-layout.js';
import type { SessionViews } from './training-session.js';

/** A node to split: its row range and its best split (a SPLIT record). */
export interface NodeToSplit {
  begin: number;
  end: number;
  split: Float64Array;
}

/**
 * Partitions the split nodes' rows in row chunks, so threads share large nodes (the root
 * holds every row): stage every chunk, then place each chunk's left and right rows after
 * those of the chunks before it. Returns each node's first right row.
 */
export function partitionNodes(
  s: SessionViews,
  runner: TaskRunner,
  nodes: readonly NodeToSplit[],
): number[] {
  const jobs = s.jobs;
  const firstJob: number[] = [];
  let count = 0;
  let work = 0;
  for (const c of nodes) {
    firstJob.push(count);
    for (let b = c.begin; b < c.end; b += ROW_CHUNK) {
      const at = count++ * JOB.STRIDE;
      jobs.set(c.split, at + JOB.SPLIT_AT);
      jobs[at + JOB.BEGIN] = b;
      jobs[at + JOB.END] = Math.min(c.end, b + ROW_CHUNK);
    }
    work += 4 * (c.end - c.begin);
  }
  firstJob.push(count);
  runner.run(COMMAND.PARTITION, count, work);
  const mids: number[] = [];
  nodes.forEach((c, i) => {
    let totalLeft = 0;
    for (let t = firstJob[i]; t < firstJob[i + 1]; t++) {
      totalLeft += jobs[t * JOB.STRIDE + JOB.LEFT_COUNT];
    }
    let leftAt = c.begin;
    let rightAt = c.begin + totalLeft;
    for (let t = firstJob[i]; t < firstJob[i + 1]; t++) {
      const at = t * JOB.STRIDE;
      const left = jobs[at + JOB.LEFT_COUNT];
      jobs[at + JOB.LEFT_AT] = leftAt;
      jobs[at + JOB.RIGHT_AT] = rightAt;
      leftAt += left;
      rightAt += jobs[at + JOB.END] - jobs[at + JOB.BEGIN] - left;
    }
    mids.push(c.begin + totalLeft);
  });
  runner.run(COMMAND.PLACE, count, work / 2);
  return mids;
}
