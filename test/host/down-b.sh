#!/usr/bin/env bash
# Stop the second local test host (test/host/up-b.sh): its containers, its dockerd and its sshd.
set -euo pipefail
# shellcheck source=test/host/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
[ "$(id -u)" = 0 ] || die "must run as root"
B_STATE=$STATE_DIR/b
mkdir -p "$B_STATE"
exec 9>"$B_STATE/host.lock"
flock -w 900 9 || die "could not get $B_STATE/host.lock"
if timeout 10 env DOCKER_HOST=unix:///var/run/docker-b.sock docker info >/dev/null 2>&1; then
  ids=$(DOCKER_HOST=unix:///var/run/docker-b.sock docker ps -q --filter 'name=^salkafka-')
  # shellcheck disable=SC2086
  [ -z "$ids" ] || DOCKER_HOST=unix:///var/run/docker-b.sock docker stop -t 10 $ids >/dev/null
fi
stop_pidfile "$B_STATE/dockerd.pid" 30
stop_pidfile "$B_STATE/sshd.pid" 10
say "host B down"
