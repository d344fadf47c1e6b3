import { loadFlights } from './flights.js';
import { denseMatrix, trainGbdt } from '../../src/ml/index.js';
const rows = Number(process.argv[2] ?? 1000000);
const f = await loadFlights(rows);
const n = Math.floor(rows * 0.8);
const x = denseMatrix(f.x.subarray(0, n * 7), n, 7);
const c0 = process.cpuUsage();
trainGbdt({
  x,
  y: f.y.subarray(0, n),
  params: { objective: 'binary_logloss', numRounds: 10, maxDepth: 6, learningRate: 0.1 },
});
const c1 = process.cpuUsage(c0);
console.log('cpu s', (c1.user + c1.system) / 1e6);
