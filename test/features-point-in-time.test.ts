// Point-in-time correctness of training sets, proved against a brute-force reference in plain
// TypeScript on data built to expose leakage: feature values 1 ms after the entity time, equal
// timestamps, the TTL edge, entities with no values, several entities and two views. Then the
// online store: after materializing up to t, the online values equal the training set's row
// for the same entity at t.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { sqlString, withSqlSession } from '../src/data/index.js';
import type { Definition } from '../src/features/index.js';
import { describeEachGyre } from '../src/test-gyre.js';

const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const T0 = Date.UTC(2026, 0, 1);

interface StatRow {
  customer_id: string;
  ts: number;
  amount_sum: number;
  tx_count: number;
}
interface ProfileRow {
  customer_id: string;
  updated_at: number;
  risk: number;
}
interface EntityRow {
  customer_id: string;
  event_timestamp: number;
  label: number;
}

/** A small deterministic generator (tests must not depend on Math.random). */
function lcg(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function buildData() {
  const rand = lcg(7);
  const customers = ['c1', 'c2', 'c3', 'c4', 'c5'];
  const stats: StatRow[] = [];
  const profiles: ProfileRow[] = [];
  const used = new Set<string>();
  for (let i = 0; i < 300; i++) {
    const customer_id = customers[Math.floor(rand() * customers.length)];
    const ts = T0 + Math.floor(rand() * 3 * DAY);
    if (used.has(`${customer_id}/${ts}`)) continue;
    used.add(`${customer_id}/${ts}`);
    stats.push({ customer_id, ts, amount_sum: Math.round(rand() * 10000) / 100, tx_count: i });
  }
  for (let i = 0; i < 40; i++) {
    const customer_id = customers[i % 4]; // c5 never has a profile
    profiles.push({
      customer_id,
      updated_at: T0 + i * 2 * HOUR,
      risk: Math.round(rand() * 1000) / 1000,
    });
  }
  const entities: EntityRow[] = [];
  // The traps, each placed against a real feature row.
  for (const s of stats.slice(0, 40)) {
    entities.push({ customer_id: s.customer_id, event_timestamp: s.ts, label: 1 }); // equal
    entities.push({ customer_id: s.customer_id, event_timestamp: s.ts - 1, label: 0 }); // 1 ms before
    entities.push({ customer_id: s.customer_id, event_timestamp: s.ts + HOUR, label: 0 }); // TTL edge
    entities.push({ customer_id: s.customer_id, event_timestamp: s.ts + HOUR + 1, label: 1 }); // past TTL
  }
  for (let i = 0; i < 200; i++)
    entities.push({
      customer_id: [...customers, 'c_unknown'][Math.floor(rand() * 6)],
      event_timestamp: T0 - HOUR + Math.floor(rand() * 4 * DAY),
      label: i % 2,
    });
  return { stats, profiles, entities };
}

/** The reference: the latest row at or before t for the key, null when none or older than ttl. */
function asOf<R>(
  rows: R[],
  key: (r: R) => string,
  ts: (r: R) => number,
  k: string,
  t: number,
  ttl: number,
) {
  let best: R | undefined;
  for (const r of rows) if (key(r) === k && ts(r) <= t && (!best || ts(r) > ts(best))) best = r;
  return best && t - ts(best) <= ttl ? best : undefined;
}

function csv(rows: object[]): string {
  const keys = Object.keys(rows[0]);
  return (
    [
      keys.join(','),
      ...rows.map((r) => keys.map((k) => (r as Record<string, unknown>)[k]).join(',')),
    ].join('\n') + '\n'
  );
}

const DEFINITIONS: Definition[] = [
  { kind: 'entity', name: 'customer', joinKeys: ['customer_id'], tags: {} },
  {
    kind: 'feature_view',
    name: 'customer_stats',
    entities: ['customer'],
    source: { dataset: 'tx-stats' },
    timestampColumn: 'ts',
    ttl: HOUR,
    features: [
      { name: 'amount_sum', type: 'double' },
      { name: 'tx_count', type: 'long' },
    ],
    owner: 'risk-team',
    tags: { domain: 'payments' },
  },
  {
    kind: 'feature_view',
    name: 'customer_profile',
    entities: ['customer'],
    source: {
      sql: 'select customer_id, updated_at, risk * 1.0 as risk from p',
      inputs: { p: 'profiles' },
    },
    timestampColumn: 'updated_at',
    ttl: 7 * DAY,
    features: [{ name: 'risk', type: 'double' }],
    tags: {},
  },
  {
    kind: 'feature_service',
    name: 'fraud_v1',
    features: ['customer_stats', 'customer_profile:risk'],
    tags: {},
  },
];

let dir: string;
const data = buildData();
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'gyre-features-pit-'));
  writeFileSync(join(dir, 'stats.csv'), csv(data.stats));
  writeFileSync(join(dir, 'profiles.csv'), csv(data.profiles));
  writeFileSync(join(dir, 'entities.csv'), csv(data.entities));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describeEachGyre('feature store point-in-time', (ctx) => {
  async function setUp() {
    const { gyre } = ctx;
    await gyre.data.datasets.ingest({ source: join(dir, 'stats.csv'), name: 'tx-stats' });
    await gyre.data.datasets.ingest({ source: join(dir, 'profiles.csv'), name: 'profiles' });
    await gyre.features.registry.apply(DEFINITIONS, { createdBy: 'test' });
  }

  async function readTrainingSet(path: string) {
    return withSqlSession((s) =>
      s.all(
        `select customer_id, event_timestamp, label, amount_sum, tx_count, risk from read_parquet(${sqlString(path)}) order by event_timestamp, customer_id, label`,
      ),
    );
  }

  it('joins every entity row to the values as of its timestamp, never later, within the TTL', async () => {
    await setUp();
    const output = join(dir, `train-${ctx.dialect}.parquet`);
    const result = await ctx.gyre.features.trainingSets.build({
      service: 'fraud_v1',
      entities: { path: join(dir, 'entities.csv') },
      output,
      createdBy: 'test',
    });
    expect(result.rows).toBe(data.entities.length);
    expect(result.sources.sort()).toEqual(['profiles@1', 'tx-stats@1']);
    const got = await readTrainingSet(output);
    const expected = [...data.entities]
      .sort(
        (a, b) =>
          a.event_timestamp - b.event_timestamp ||
          a.customer_id.localeCompare(b.customer_id) ||
          a.label - b.label,
      )
      .map((e) => {
        const s = asOf(
          data.stats,
          (r) => r.customer_id,
          (r) => r.ts,
          e.customer_id,
          e.event_timestamp,
          HOUR,
        );
        const p = asOf(
          data.profiles,
          (r) => r.customer_id,
          (r) => r.updated_at,
          e.customer_id,
          e.event_timestamp,
          7 * DAY,
        );
        return {
          customer_id: e.customer_id,
          event_timestamp: e.event_timestamp,
          label: e.label,
          amount_sum: s?.amount_sum ?? null,
          tx_count: s?.tx_count ?? null,
          risk: p?.risk ?? null,
        };
      });
    expect(got).toEqual(expected);
    // The traps did bite both ways: some rows got values, the 1 ms-before and past-TTL rows
    // of a fresh value did not get that value.
    expect(got.filter((r) => r.amount_sum !== null).length).toBeGreaterThan(50);
    expect(got.filter((r) => r.amount_sum === null).length).toBeGreaterThan(50);

    // Lineage: the registered version records the service and every source version read.
    const transforms = await ctx.gyre.data.datasets.store.listTransforms('features');
    expect(transforms).toHaveLength(1);
    expect(transforms[0].spec.service).toBe('fraud_v1');
    const stats = await ctx.gyre.data.datasets.getVersion('tx-stats@1');
    const profiles = await ctx.gyre.data.datasets.getVersion('profiles@1');
    expect(transforms[0].inputs.map((i) => i.versionId).sort()).toEqual(
      [stats.id, profiles.id].sort(),
    );
    const graph = await ctx.gyre.data.lineage.graph(
      'dataset',
      `${result.version.datasetName}@${result.version.version}`,
      'up',
    );
    expect(graph.nodes.map((n) => n.id)).toEqual(
      expect.arrayContaining(['dataset:tx-stats@1', 'dataset:profiles@1']),
    );
  });

  it('serves online the value the training set has for the same entity and time', async () => {
    await setUp();
    const output = join(dir, `train-online-${ctx.dialect}.parquet`);
    await ctx.gyre.features.trainingSets.build({
      service: 'fraud_v1',
      entities: { path: join(dir, 'entities.csv') },
      output,
    });
    const rows = await readTrainingSet(output);
    // Several entities at increasing times: materialize up to t, then read online as of t.
    const probes = rows.filter((r) => r.customer_id !== 'c_unknown').filter((_, i) => i % 23 === 0);
    expect(probes.length).toBeGreaterThan(8);
    for (const probe of probes) {
      const t = Number(probe.event_timestamp);
      await ctx.gyre.features.materializer.materialize({ endMs: t });
      ctx.gyre.features.online.invalidate();
      const online = await ctx.gyre.features.online.get(
        'fraud_v1',
        [{ customer_id: probe.customer_id }],
        t,
      );
      expect({ t, ...online.rows[0] }).toEqual({
        t,
        amount_sum: probe.amount_sum,
        tx_count: probe.tx_count,
        risk: probe.risk,
      });
    }
    const detail = await ctx.gyre.features.discovery.describeView('customer_stats');
    expect(detail.sources).toEqual(['tx-stats@1']);
    expect(detail.services).toEqual(['fraud_v1']);
    expect(detail.trainingSets).toHaveLength(1);
    expect(detail.freshness.lastMaterializedAt).toBeDefined();
  });
});
