// Drift over a 1,000,000-row prediction log × 13 features: Gyre (one DuckDB query over the
// Parquet file + the TS statistics) against the same tests in NumPy/SciPy (Debian's
// python3-scipy) on the same data, both timed in this run. One table.
//   npx tsx bench/monitoring/run.ts [--rows 1000000] [--repeats 3] [--cache DIR]
// The data is written once to the cache dir (default: $TMPDIR/gyre-bench-monitoring).
import { execFileSync } from 'node:child_process';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { DriftMonitor, type WindowDriftResult } from '../../src/monitoring/index.js';
import { REPO_ROOT } from '../../test/fixtures/data-files.js';
import { CATEGORICAL_FEATURES, NUMERIC_FEATURES, SHIFTED, syntheticLog } from './synthetic-log.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '1000000' },
    repeats: { type: 'string', default: '3' },
    cache: { type: 'string', default: join(tmpdir(), 'gyre-bench-monitoring') },
  },
});
const rows = Number(args.rows);
const repeats = Number(args.repeats);
const TARGET_SECONDS = 1;

/**
 * Best wall time of n runs, and best CPU time (this process: JS and DuckDB's threads). On a
 * machine shared with other work the wall clock waits for CPUs; CPU time does not.
 */
async function best<T>(
  n: number,
  work: () => Promise<T>,
): Promise<{ result: T; seconds: number; cpu: number }> {
  let seconds = Infinity;
  let cpu = Infinity;
  let result: T | undefined;
  for (let i = 0; i < n; i++) {
    const start = performance.now();
    const startCpu = process.cpuUsage();
    result = await work();
    const used = process.cpuUsage(startCpu);
    seconds = Math.min(seconds, (performance.now() - start) / 1000);
    cpu = Math.min(cpu, (used.user + used.system) / 1e6);
  }
  return { result: result as T, seconds, cpu };
}

const load = () => loadavg()[0].toFixed(1);
const loadBefore = load();
const files = await syntheticLog(args.cache, rows);
const monitor = new DriftMonitor();
const columns = [
  ...NUMERIC_FEATURES.map((name) => ({ name, kind: 'numeric' as const })),
  ...CATEGORICAL_FEATURES.map((name) => ({ name, kind: 'categorical' as const })),
];

const largeRef = await best(1, () => monitor.referenceFromFiles([files.train], columns));
const smallRef = await best(1, () => monitor.referenceFromFiles([files.trainSmall], columns));
await monitor.checkFiles(smallRef.result, [files.log]); // loads DuckDB; not timed
const large = await best(repeats, () => monitor.checkFiles(largeRef.result, [files.log]));
const small = await best(repeats, () => monitor.checkFiles(smallRef.result, [files.log]));

interface ScipySide {
  seconds: number;
  cpu: number;
  scores: Record<string, number>;
}
const scipy = JSON.parse(
  execFileSync(
    '/usr/bin/python3',
    [
      resolve(REPO_ROOT, 'bench/monitoring/scipy_drift.py'),
      '--train',
      files.csv.train,
      '--small',
      files.csv.trainSmall,
      '--log',
      files.csv.log,
      '--numeric',
      NUMERIC_FEATURES.join(','),
      '--categorical',
      CATEGORICAL_FEATURES.join(','),
      '--repeats',
      String(repeats),
    ],
    { encoding: 'utf8', maxBuffer: 1 << 24 },
  ),
) as { large: ScipySide; small: ScipySide };

/** Largest difference between Gyre's and SciPy's scores for the given tests. */
function deviation(result: WindowDriftResult, side: ScipySide, tests: string[]): string {
  let worst = 0;
  let kind = 'abs';
  for (const c of result.drift.columns) {
    if (!tests.includes(c.test)) continue;
    const theirs = side.scores[c.column];
    const diff = Math.abs(c.score - theirs);
    if (c.scoreKind === 'p_value') {
      kind = 'rel';
      worst = Math.max(worst, diff === 0 ? 0 : diff / Math.max(Math.abs(theirs), 1e-300));
    } else worst = Math.max(worst, diff);
  }
  return `${kind} ${worst.toExponential(1)}`;
}

const drifted = (result: WindowDriftResult) =>
  result.drift.columns
    .filter((c) => c.drifted)
    .map((c) => c.column)
    .sort()
    .join(' ');

const table = [
  {
    scenario: 'reference 100,000 rows',
    tests: '10 Wasserstein (normed) + 3 Jensen–Shannon',
    gyre: large,
    scipy: scipy.large,
    detail: [
      `Wasserstein ${deviation(large.result, scipy.large, ['wasserstein'])}`,
      `JS ${deviation(large.result, scipy.large, ['jensenshannon'])}`,
    ].join(', '),
  },
  {
    scenario: 'reference 1,000 rows',
    tests: '10 KS + 3 chi-square',
    gyre: small,
    scipy: scipy.small,
    detail: [
      `KS p ${deviation(small.result, scipy.small, ['ks'])}`,
      `chi² p ${deviation(small.result, scipy.small, ['chisquare'])}`,
    ].join(', '),
  },
];

const cpu = cpus();
console.log(
  `Drift of a ${rows.toLocaleString('en-US')}-row log × 13 features (10 numeric, 3 categorical); best of ${repeats}.`,
);
console.log(
  `Machine: ${cpu[0]?.model ?? 'unknown CPU'}, ${cpu.length} cores, load average ${loadBefore} → ${load()} (shared with other work).`,
);
console.log(
  `Gyre reads the Parquet file inside its time; SciPy starts from arrays already in memory.\n`,
);
console.log(
  '| scenario | tests | Gyre wall (s) | Gyre CPU (s) | SciPy wall (s) | SciPy CPU (s) | SciPy ÷ Gyre (wall) | Gyre vs SciPy scores |',
);
console.log('|---|---|---:|---:|---:|---:|---:|---|');
for (const r of table) {
  console.log(
    `| ${r.scenario} | ${r.tests} | ${r.gyre.seconds.toFixed(3)} | ${r.gyre.cpu.toFixed(3)} | ${r.scipy.seconds.toFixed(3)} | ${r.scipy.cpu.toFixed(3)} | ${(r.scipy.seconds / r.gyre.seconds).toFixed(1)}× | ${r.detail} |`,
  );
}
console.log(
  `\nReference builds (once per reference): 100,000 rows ${largeRef.seconds.toFixed(3)} s, 1,000 rows ${smallRef.seconds.toFixed(3)} s.`,
);
console.log(`Shifted in the log: ${[...SHIFTED].sort().join(' ')}`);
console.log(`Drifted (Gyre, large reference): ${drifted(large.result)}`);
console.log(`Drifted (Gyre, small reference): ${drifted(small.result)}`);
const verdict = large.seconds <= TARGET_SECONDS && large.seconds < scipy.large.seconds;
console.log(
  `\nTarget ≤ ${TARGET_SECONDS} s wall and faster than SciPy (reference 100,000 rows): ${verdict ? 'met' : 'MISSED'} — ${large.seconds.toFixed(3)} s wall, ${large.cpu.toFixed(3)} s CPU.`,
);
