#!/usr/bin/env bash
# The test command (`npm test`): installs what the tests need, type-checks, runs every suite and ends
# with one line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir="${npm_config_nodedir:-/usr}"

if [ ! -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ]; then
  npm install --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi

passed=0
failed=0
tap=$(mktemp)
trap 'rm -f "$tap"' EXIT

echo "== typecheck"
if npx tsc --noEmit; then passed=$((passed + 1)); echo "typecheck: ok"; else failed=$((failed + 1)); echo "typecheck: FAILED"; fi

echo "== server and end-to-end suites (node --test)"
mapfile -t files < <(ls test/server/*.test.ts test/e2e/*.test.ts 2>/dev/null)
node --import tsx --test --test-concurrency=2 \
  --test-reporter=spec --test-reporter-destination=stdout \
  --test-reporter=tap --test-reporter-destination="$tap" \
  "${files[@]}"
node_pass=$(grep -E '^# pass ' "$tap" | tail -1 | awk '{print $3}')
node_fail=$(grep -E '^# fail ' "$tap" | tail -1 | awk '{print $3}')
if [ -z "$node_pass" ]; then node_pass=0; node_fail=$((${node_fail:-0} + 1)); echo "node --test printed no summary"; fi
passed=$((passed + node_pass))
failed=$((failed + ${node_fail:-0}))

echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
