// Gyre only: trains on 10M rows x 30 features streamed in column chunks that are generated
// on the fly (nothing but the bins and labels is ever held), and reports peak RSS against
// the size of the binned matrix itself. Prints one JSON line.
//   node dist/.bench/bench/ml/large-streaming.js --rows 10000000 --features 30 --rounds 10
// (compiled by run.ts and run with plain node, like gyre-side.ts)
import { parseArgs } from 'node:util';
import { GbdtDatasetBuilder, SeededRandom, trainGbdtDataset } from '../../src/ml/index.js';

const { values: args } = parseArgs({
  options: {
    rows: { type: 'string', default: '10000000' },
    features: { type: 'string', default: '30' },
    rounds: { type: 'string', default: '10' },
    threads: { type: 'string', default: '0' },
  },
});
const rows = Number(args.rows);
const d = Number(args.features);
const chunkRows = 1 << 16;
const rng = new SeededRandom(7);
const weights = Array.from({ length: d }, () => rng.next() * 2 - 1);

/** A chunk of a noisy linear-threshold problem, one Float32Array per column. */
function chunk(m: number): { columns: Float32Array[]; labels: Float32Array } {
  const columns = Array.from({ length: d }, () => new Float32Array(m));
  const labels = new Float32Array(m);
  for (let r = 0; r < m; r++) {
    let z = 0;
    for (let f = 0; f < d; f++) {
      const v = rng.next() * 2 - 1;
      columns[f][r] = v;
      z += weights[f] * v * (f % 3 === 0 ? v : 1);
    }
    labels[r] = z + (rng.next() - 0.5) > 0 ? 1 : 0;
  }
  return { columns, labels };
}

const sample = chunk(200_000).columns;
const start = performance.now();
const builder = new GbdtDatasetBuilder({
  features: Array.from({ length: d }, (_, i) => ({ name: `f${i}`, type: 'numeric' as const })),
  numRows: rows,
  sample,
  labelType: 'float32',
  numThreads: Number(args.threads),
});
for (let at = 0; at < rows; at += chunkRows) builder.append(chunk(Math.min(chunkRows, rows - at)));
const loaded = performance.now();
const model = trainGbdtDataset(builder.finish(), {
  params: {
    objective: 'binary_logloss',
    numRounds: Number(args.rounds),
    maxDepth: 6,
    numThreads: Number(args.threads),
  },
});
console.log(
  JSON.stringify({
    rows,
    features: d,
    rounds: Number(args.rounds),
    trees: model.ensemble.trees.length,
    generate_and_bin_seconds: (loaded - start) / 1000,
    train_seconds: (performance.now() - loaded) / 1000,
    binned_mb: (rows * d) / 2 ** 20,
    peak_rss_mb: process.resourceUsage().maxRSS / 1024,
  }),
);
