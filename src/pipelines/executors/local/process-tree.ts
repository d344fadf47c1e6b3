import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import { HOST_NAME } from '../../host-name.js';

export const HOST = HOST_NAME;

/** Linux clock ticks per second for /proc times (USER_HZ; 100 on every mainstream kernel). */
const CLOCK_TICKS = 100;

/** The fields of /proc/<pid>/stat after the command name (which may hold spaces). */
async function statFields(pid: number): Promise<string[] | undefined> {
  try {
    const text = await readFile(`/proc/${pid}/stat`, 'utf8');
    return text.slice(text.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** The process's start time in clock ticks since boot: with the pid, it names one process. */
export async function processStartTime(pid: number): Promise<string | undefined> {
  return (await statFields(pid))?.[19];
}

/** CPU time (user + system, of the process and the children it waited for) in ms. */
export function cpuMsFromStat(text: string): number | undefined {
  const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
  const ticks = [11, 12, 13, 14].map((i) => Number(fields[i]));
  if (ticks.some((t) => !Number.isFinite(t))) return undefined;
  return Math.round((ticks.reduce((a, b) => a + b, 0) * 1000) / CLOCK_TICKS);
}

/** Pids whose process group is `pgid`, zombies left out (they hold no resources). */
export async function groupMembers(pgid: number): Promise<number[]> {
  let entries: string[];
  try {
    entries = await readdir('/proc');
  } catch {
    return [];
  }
  const members: number[] = [];
  await Promise.all(
    entries
      .filter((e) => /^[0-9]+$/.test(e))
      .map(async (e) => {
        const fields = await statFields(Number(e));
        if (fields && Number(fields[2]) === pgid && fields[0] !== 'Z') members.push(Number(e));
      }),
  );
  return members;
}

/** Resident memory of a process group now, in bytes (the sum over its processes). */
export async function groupRssBytes(pgid: number): Promise<number> {
  let total = 0;
  for (const pid of await groupMembers(pgid)) {
    try {
      const status = await readFile(`/proc/${pid}/status`, 'utf8');
      const kb = /VmRSS:\s+([0-9]+) kB/.exec(status)?.[1];
      if (kb) total += Number(kb) * 1024;
    } catch {
      // exited between the listing and the read
    }
  }
  return total;
}

/** Signals a whole process group; false when it no longer exists. */
export function signalGroup(pgid: number, signal: NodeJS.Signals): boolean {
  try {
    process.kill(-pgid, signal);
    return true;
  } catch {
    return false;
  }
}

/**
 * True while any process of the group is alive. A zombie (exited, not yet reaped by a parent
 * that may never reap it, as in containers whose init does not) does not count.
 */
export async function groupAlive(pgid: number): Promise<boolean> {
  try {
    process.kill(-pgid, 0);
  } catch {
    return false;
  }
  return existsSync('/proc/self/stat') ? (await groupMembers(pgid)).length > 0 : true;
}

/**
 * Kills a process group: SIGTERM, then SIGKILL after `graceMs` if anything is left. Resolves
 * once the group is gone (or after the SIGKILL when it cannot tell).
 */
export async function killGroup(pgid: number, graceMs = 2000): Promise<void> {
  if (!signalGroup(pgid, 'SIGTERM')) return;
  const deadline = Date.now() + graceMs;
  while ((await groupAlive(pgid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 25));
  }
  signalGroup(pgid, 'SIGKILL');
  for (let i = 0; i < 40 && (await groupAlive(pgid)); i++)
    await new Promise((r) => setTimeout(r, 25));
}
