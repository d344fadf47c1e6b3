import { loadCaliforniaHousing } from '../../test/ml/california-housing.js';
import { takeRows, takeValues, trainGbdt, trainTestSplit } from '../../src/ml/index.js';
const d = loadCaliforniaHousing();
const s = trainTestSplit(d.x.numRows, 0.2, 42);
const x = takeRows(d.x, s.train),
  y = takeValues(d.y, s.train);
let best = Infinity;
for (let i = 0; i < 3; i++) {
  const c0 = process.cpuUsage();
  trainGbdt({ x, y, params: { numRounds: 300, maxDepth: 6, learningRate: 0.1 } });
  const c1 = process.cpuUsage(c0);
  best = Math.min(best, (c1.user + c1.system) / 1e6);
}
console.log('cpu s', best.toFixed(3));
