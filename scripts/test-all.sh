#!/usr/bin/env bash
# Runs every test on a fresh machine: unit, integration (real sshd + dockerd test host) and
# extension-host tests (a real VS Code). The README's test command; .ci/run calls it.
# Installs what it needs itself (npm packages, Debian packages for the test host and Chromium).
set -uo pipefail
cd "$(dirname "$0")/.."

export SALKAFKA_REQUIRE_HOST=1   # integration tests fail, never skip, when the host cannot start
LOG=$(mktemp -t salkafka-tests.XXXXXX)
trap 'rm -f "$LOG"' EXIT
status=0

step() { printf '\n==> %s\n' "$*"; }
run() { "$@" 2>&1 | tee -a "$LOG"; local rc=${PIPESTATUS[0]}; [ "$rc" -eq 0 ] || status=1; return "$rc"; }

step "npm dependencies"
if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund || exit 1
fi

step "build (esbuild) and test compilation (tsc)"
npm run --silent build || exit 1
npm run --silent compile-tests || exit 1

step "local test host (sshd on 127.0.0.1:2222, dockerd, simulated producers)"
bash test/host/up.sh || { echo "!!! the test host could not start; integration tests cannot run" >&2; exit 1; }

step "unit and integration tests (mocha, plain Node)"
run npx mocha --no-config --timeout 120000 --reporter spec \
  'out/test/unit/**/*.test.js' 'out/test/integration/**/*.test.js'

step "extension-host tests in a real VS Code"
run node test/runner/run-code-server.mjs

step "npm start end to end: the URL it prints opens the product, showing the test host's producers"
run node test/runner/start-ui.mjs

# mocha's "N passing"/"N failing", and the UI runners' "ui-checks: N passed, M failed".
passed=$(( $(grep -Eo '^\s*[0-9]+ passing' "$LOG" | awk '{s+=$1} END {print s+0}') + $(grep -Eo '^ui-checks: [0-9]+ passed' "$LOG" | awk '{s+=$2} END {print s+0}') ))
failed=$(( $(grep -Eo '^\s*[0-9]+ failing' "$LOG" | awk '{s+=$1} END {print s+0}') + $(grep -Eo '^ui-checks: [0-9]+ passed, [0-9]+ failed' "$LOG" | awk '{s+=$4} END {print s+0}') ))
pending=$(grep -Eo '^\s*[0-9]+ pending' "$LOG" | awk '{s+=$1} END {print s+0}')
echo
if [ "$passed" -eq 0 ]; then echo "!!! no test ran" >&2; status=1; fi
[ "$failed" -eq 0 ] || status=1
echo "${passed} passed, ${failed} failed, ${pending} skipped"
exit "$status"
