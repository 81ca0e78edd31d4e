#!/usr/bin/env bash
# The main job on a fresh machine: install the npm packages, then scripts/start.mjs packages the
# extension, starts the local test host (a stand-in for azar2) and serves VS Code with the
# extension on 127.0.0.1, printing the URL to open (`npm start -- --no-ui`: print how to open
# it in your own VS Code instead).
set -euo pipefail
cd "$(dirname "$0")/.."

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
exec node scripts/start.mjs "$@"
