// A web-test-runner reporter that ends with one line a script can read: `wtr: N passed, N failed, N skipped`.
// A test file that failed to load counts as one failure.
function count(results, into) {
  for (const test of results?.tests ?? []) {
    if (test.skipped) into.skipped += 1;
    else if (test.passed) into.passed += 1;
    else into.failed += 1;
  }
  for (const suite of results?.suites ?? []) count(suite, into);
}

export function summaryReporter() {
  return {
    onTestRunFinished({ sessions }) {
      const totals = { passed: 0, failed: 0, skipped: 0 };
      for (const session of sessions) {
        count(session.testResults, totals);
        if (session.errors?.length > 0 && !session.testResults?.tests?.length && !session.testResults?.suites?.length) totals.failed += 1;
      }
      process.on('exit', () => console.log(`wtr: ${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`));
    },
  };
}
