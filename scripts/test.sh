#!/usr/bin/env bash
# The test command (`npm test`): installs what the tests need, type-checks, runs every suite and ends
# with one line `N passed, N failed`.
set -uo pipefail
cd "$(dirname "$0")/.."
export npm_config_nodedir="${npm_config_nodedir:-/usr}"

if [ ! -f node_modules/better-sqlite3/build/Release/better_sqlite3.node ]; then
  npm install --no-audit --no-fund || { echo "0 passed, 1 failed"; exit 1; }
fi

if ! command -v chromium >/dev/null 2>&1 && [ ! -x "${CHROME_PATH:-/usr/bin/chromium}" ]; then
  echo "== installing Chromium for the browser tests"
  (apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium) >/dev/null 2>&1 || echo "could not install Chromium"
fi

# Installs the Debian packages named after the reason when any is missing (a test then fails with a
# clear message if they could not be installed).
install_missing() {
  local why=$1 pkg missing=()
  shift
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ "${#missing[@]}" -eq 0 ] && return 1
  echo "== installing ${missing[*]} for $why"
  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}") >/dev/null 2>&1 \
    || echo "could not install ${missing[*]}"
  return 0
}

# The CMS wrappers' tests: a real WordPress (Debian's, with a private MariaDB) and PHP tools for the
# Drupal module.
install_missing "the CMS plugins' tests" php-cli php-mysql php-xml php-mbstring mariadb-server wordpress wordpress-l10n \
  wordpress-theme-twentytwentythree phpunit php-twig yamllint

# PostgreSQL + PostGIS for the suites that run on both engines: each test process starts a private
# cluster of its own (test/helpers/postgres.ts). Debian's package creates and starts a cluster "15 main"
# that no test uses: it is stopped.
if install_missing "the PostgreSQL suites" postgresql postgresql-15-postgis-3; then
  pg_ctlcluster 15 main stop >/dev/null 2>&1 || true
fi
# HAProxy for the end-to-end test of several nodes behind a load balancer (test/helpers/haproxy.ts runs its
# own in the foreground): Debian's service, which listens on nothing, is stopped.
if install_missing "the cluster test" haproxy; then
  invoke-rc.d haproxy stop >/dev/null 2>&1 || true
fi
echo "== a current WordPress for the plugin's tests"
bash scripts/fetch-wordpress.sh >/dev/null || echo "could not fetch the current WordPress"

passed=0
failed=0
tap=$(mktemp)
trap 'rm -f "$tap"' EXIT

# First: the build generates widget/styles/leaflet.css.ts, which the type-check needs.
echo "== build the widget"
if npm run --silent build; then passed=$((passed + 1)); echo "build: ok"; else failed=$((failed + 1)); echo "build: FAILED"; fi

echo "== typecheck"
if npx tsc --noEmit; then passed=$((passed + 1)); echo "typecheck: ok"; else failed=$((failed + 1)); echo "typecheck: FAILED"; fi

echo "== CMS plugin archives"
if node scripts/package-plugins.mjs; then passed=$((passed + 1)); echo "package:plugins: ok"; else failed=$((failed + 1)); echo "package:plugins: FAILED"; fi

# Runs node --test on the files named after the label, counts its TAP summary into passed/failed, and
# prints the label's own line (the contract suites run once per engine, each counted apart).
node_suites() {
  local label=$1 pass fail
  shift
  : >"$tap"
  node --import tsx --test --test-concurrency=2 \
    --test-reporter=spec --test-reporter-destination=stdout \
    --test-reporter=tap --test-reporter-destination="$tap" \
    "$@"
  pass=$(grep -E '^# pass ' "$tap" | tail -1 | awk '{print $3}')
  fail=$(grep -E '^# fail ' "$tap" | tail -1 | awk '{print $3}')
  if [ -z "$pass" ]; then pass=0; fail=$((${fail:-0} + 1)); echo "node --test printed no summary"; fi
  passed=$((passed + pass))
  failed=$((failed + ${fail:-0}))
  engine_lines+=("$label: $pass passed, ${fail:-0} failed")
}
engine_lines=()

echo "== server, security, end-to-end and CMS plugin suites on the embedded SQLite (node --test)"
mapfile -t files < <(ls test/server/*.test.ts test/security/*.test.ts test/e2e/*.test.ts test/plugins/*.test.ts 2>/dev/null)
node_suites "on SQLite (every node suite)" "${files[@]}"

# The contract suites once more, every store on PostgreSQL + PostGIS (a private cluster per test file):
# the server, bus, admin, map-query, bad-input and security suites and the end-to-end server, bus, CLI,
# crash, backup and full-store suites. Left out: the tests of one engine's own parts (they open both engines themselves).
echo "== the contract suites on PostgreSQL (GEOREPORT_TEST_ENGINE=postgres)"
mapfile -t contract < <(ls test/server/*.test.ts test/security/*.test.ts test/e2e/{server,bus,cli,crash,backup,full-store}.test.ts 2>/dev/null \
  | grep -v -E '/(pg-[a-z-]+|db-engine|sql-params|fts5-folding|copy|copy-town|store|rolling-deploy)\.test\.ts$')
GEOREPORT_TEST_ENGINE=postgres node_suites "on PostgreSQL (contract suites)" "${contract[@]}"

echo "== widget suites (web-test-runner in Chromium)"
wtr_log=$(mktemp)
npx web-test-runner --config web-test-runner.config.mjs 2>&1 | tee "$wtr_log"
summary=$(grep -E '^wtr: [0-9]+ passed, [0-9]+ failed' "$wtr_log" | tail -1)
rm -f "$wtr_log"
if [ -n "$summary" ]; then
  passed=$((passed + $(echo "$summary" | awk '{print $2}')))
  failed=$((failed + $(echo "$summary" | awk '{print $4}')))
else
  failed=$((failed + 1)); echo "web-test-runner printed no summary"
fi

printf 'node %s\n' "${engine_lines[@]}"
echo "${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
