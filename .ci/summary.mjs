// Prints the plain "N passed, N failed" line from vitest's JSON report, so CI
// reads one closing line whatever vitest's own reporter prints.
import { readFileSync } from 'node:fs';

const path = process.argv[2] ?? '.test-results/results.json';
let report;
try {
  report = JSON.parse(readFileSync(path, 'utf8'));
} catch (error) {
  console.log(`no test report at ${path}: ${error.message}`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const passed = report.numPassedTests ?? 0;
// A suite that fails to load has no failed tests but must still count as a failure.
const failed = (report.numFailedTests ?? 0) + (report.numRuntimeErrorTestSuites ?? 0);
const skipped = (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
// The closing line is exactly "N passed, N failed"; skips are told on the line before it.
if (skipped) console.log(`${skipped} skipped`);
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
