#!/usr/bin/env bash
# The main job on a fresh machine: install, build and package the extension, start the local
# test host (a stand-in for azar2), and print how to open it in VS Code.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ ! -d node_modules ] || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  npm ci --no-audit --no-fund
fi
npx @vscode/vsce package --no-dependencies --out efd-salkafka.vsix   # runs the production build first
bash test/host/up.sh

alias=$(node -p "require('./.test-host/host.json').sshAlias")
cat <<TXT

EFD SAL Kafka is built (efd-salkafka.vsix) and the local test host is up.

Open it in VS Code:
  1. code --install-extension ${root}/efd-salkafka.vsix
  2. In your VS Code settings (JSON):
       "efdSalkafka.host": "${alias}",
       "efdSalkafka.sshConfigFile": "${root}/.test-host/ssh_config"
  3. Run "EFD SAL Kafka: Connect to Host" (the host key is already in .test-host/known_hosts;
     its fingerprint: $(node -p "require('./.test-host/host.json').hostKeyFingerprint")).
  4. Open the EFD SAL Kafka view in the activity bar; "Open Remote Compose File" opens
     $(node -p "require('./.test-host/host.json').composeFile") on the test host.

Or from a terminal:  ssh -F ${root}/.test-host/ssh_config ${alias} docker ps
Stop the test host:   bash test/host/down.sh
TXT
