// Prints the closing line CI reads, "N passed, N failed", from Vitest's JSON report.
// A failed typecheck or lint (second argument "1") counts as one more failure.
import { existsSync, readFileSync } from 'node:fs';

const [reportPath, checksFailed = '0'] = process.argv.slice(2);
let passed = 0;
let failed = Number(checksFailed) > 0 ? 1 : 0;
if (existsSync(reportPath)) {
  const report = JSON.parse(readFileSync(reportPath, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
  if (report.numTotalTests === 0) failed += 1; // a run that tested nothing is not a pass
} else {
  failed += 1; // the runner never produced a report
}
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 ? 1 : 0);
