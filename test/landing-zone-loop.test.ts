// A file landing in a watched directory becomes a dataset version and an event, with the
// real `gyre up` process; a restarted server does not process it again.
import { mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startGyre } from './fixtures/gyre-process.js';

const dir = mkdtempSync(join(tmpdir(), 'gyre-landing-loop-'));
const zone = join(dir, 'incoming');
mkdirSync(zone);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const up = () =>
  startGyre(['up', '--port', '0'], {
    cwd: dir,
    env: { GYRE_HOME: join(dir, '.gyre'), GYRE_DATA_ALLOWED_SOURCE_ROOTS: dir },
  });

/** Writes a file that looks settled (modified a minute ago), as a finished upload would. */
function land(name: string, content: string): void {
  writeFileSync(join(zone, name), content);
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(zone, name), past, past);
}

interface EventsBody {
  events: { subject: string; payload: { landingZone?: string } }[];
}

describe('landing zone loop', { timeout: 120_000 }, () => {
  it('turns each landed file into one version and one event, across a restart', async () => {
    const first = await up();
    const zoneRes = await fetch(`${first.url}/api/v1/landing-zones`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'incoming', uri: zone, datasetName: 'orders' }),
    });
    expect(zoneRes.status).toBe(201);
    land('a.csv', 'id,amount\n1,9.5\n2,3.25\n');
    const events = async () =>
      (
        (await (
          await fetch(`${first.url}/api/v1/events?type=dataset.version.created`)
        ).json()) as EventsBody
      ).events;
    await expect
      .poll(async () => (await events()).map((e) => e.subject), { timeout: 30_000, interval: 200 })
      .toEqual(['dataset:orders@1']);
    expect((await events())[0].payload.landingZone).toBe('incoming');
    expect(await first.stop()).toBe(0);

    const second = await up();
    land('b.csv', 'id,amount\n3,1.0\n');
    const after = async () =>
      (
        (await (
          await fetch(`${second.url}/api/v1/events?type=dataset.version.created`)
        ).json()) as EventsBody
      ).events;
    // Files are processed in path order, so once b.csv is in, a.csv has been looked at again.
    await expect
      .poll(async () => (await after()).map((e) => e.subject), { timeout: 30_000, interval: 200 })
      .toEqual(['dataset:orders@1', 'dataset:orders@2']);
    const files = (await (
      await fetch(`${second.url}/api/v1/landing-zones/incoming/files`)
    ).json()) as {
      files: { path: string; status: string }[];
    };
    expect(files.files.map((f) => `${f.path}:${f.status}`).sort()).toEqual([
      'a.csv:registered',
      'b.csv:registered',
    ]);
    expect(await second.stop()).toBe(0);
  });
});
