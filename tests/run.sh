#!/usr/bin/env bash
# Runs every test of the repository on a fresh machine: installs what the tests need (Debian's
# Chromium for the browser tests, the pinned Azurite from package-lock.json), runs the whole
# solution's tests, and ends with one line of totals: "N passed, N failed".
set -uo pipefail
cd "$(dirname "$0")/.."

if ! command -v chromium >/dev/null 2>&1; then
  echo "== installing Debian's chromium for the browser tests"
  sudo_cmd=""
  [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1 && sudo_cmd="sudo"
  $sudo_cmd apt-get update -qq && DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq chromium >/dev/null \
    || { echo "could not install chromium (apt-get install chromium); the browser tests will fail" >&2; }
fi

if [ ! -x node_modules/.bin/azurite-table ]; then
  echo "== installing the pinned Azurite (npm ci)"
  npm ci --no-audit --no-fund || { echo "npm ci failed" >&2; exit 1; }
fi

results="$(mktemp -d)"
echo "== dotnet test (results in $results)"
dotnet test Serverless2FA.sln --logger "trx" --results-directory "$results" "$@" 2>&1 | tee "$results/console.log"
status=${PIPESTATUS[0]}

# Totals from the TRX files (one per test project), so a run that tested nothing shows 0 passed.
passed=0; failed=0
for trx in "$results"/*.trx; do
  [ -e "$trx" ] || continue
  counters=$(grep -o '<Counters [^>]*>' "$trx" | head -1)
  p=$(sed -n 's/.* passed="\([0-9]*\)".*/\1/p' <<<"$counters"); f=$(sed -n 's/.* failed="\([0-9]*\)".*/\1/p' <<<"$counters")
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0}))
done
if [ "$status" -ne 0 ] && [ "$failed" -eq 0 ]; then
  failed=1  # the build or a test host failed before any result was written
fi
echo "$passed passed, $failed failed"
exit "$status"
