#!/usr/bin/env bash
# Stop the local test host: producer containers, the test dockerd and the test sshd.
# Installed packages, users, keys, images (data root) and .test-host/ stay, so the next
# test/host/up.sh is a warm start.
set -euo pipefail

# shellcheck source=test/host/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=test/host/cycles.sh
source "$(dirname "${BASH_SOURCE[0]}")/cycles.sh"

[ "$(id -u)" = 0 ] || die "must run as root"
mkdir -p "$STATE_DIR"
exec 9>"$LOCK_FILE"
flock -w 900 9 || die "could not get $LOCK_FILE within 900 s"

if docker_answers; then
  ids=$({
    docker ps -q --filter 'name=^salkafka-'
    docker ps -q --filter 'label=com.docker.compose.project=kafka_writers'
  } | sort -u)
  # shellcheck disable=SC2086
  [ -z "$ids" ] || docker stop -t 10 $ids >/dev/null
  say "containers stopped"
fi

if pid_alive "$DOCKERD_PID_FILE"; then
  stop_pidfile "$DOCKERD_PID_FILE" 30
  say "dockerd stopped"
elif docker_answers; then
  say "WARNING: the dockerd on $DOCKER_SOCK was not started by up.sh; left running"
fi

stop_registry

if pid_alive "$SSHD_PID_FILE"; then
  stop_pidfile "$SSHD_PID_FILE" 10
  say "sshd (127.0.0.1:$SSH_PORT) stopped"
fi
say "down"
