import type { StepProcess } from '../../types.js';
import { HOST, groupAlive, killGroup, processStartTime } from './process-tree.js';

/**
 * Kills the process groups a dead owner left running on this host. A recorded start time
 * must match, so a pid the kernel has since given to another process is left alone.
 */
export async function reapProcesses(processes: StepProcess[]): Promise<number> {
  let killed = 0;
  for (const p of processes) {
    if (p.host !== HOST || !(await groupAlive(p.pgid))) continue;
    if (p.procStart !== undefined) {
      const start = await processStartTime(p.pid);
      // The leader may be gone while its group lives on; then only the group id is left to go by.
      if (start !== undefined && start !== p.procStart) continue;
    }
    await killGroup(p.pgid, 500);
    killed++;
  }
  return killed;
}
