# Shared paths and helpers for test/host/up.sh and down.sh (sourced, not executed).
# shellcheck shell=bash

HOST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
REPO_ROOT=$(cd "$HOST_DIR/../.." && pwd)
STATE_DIR=${SALKAFKA_TEST_HOST_STATE:-$REPO_ROOT/.test-host} # git-ignored

SSH_PORT=2222
SSH_ADDR=127.0.0.1
SSH_USER=salkafka
NODOCKER_USER=nodocker
SSH_ALIAS=azar2-test

DOCKER_SOCK=/var/run/docker.sock
DOCKER_DATA_ROOT=/var/lib/salkafka-test-docker
DOCKER_EXEC_ROOT=/run/salkafka-test-docker
IMAGE=salkafka-sim:test

COMPOSE_DIR=/deploy-lsst/docker-compose-ops/kafka_writers
COMPOSE_FILE=$COMPOSE_DIR/docker-compose.yaml

SSHD_PID_FILE=$STATE_DIR/sshd.pid
DOCKERD_PID_FILE=$STATE_DIR/dockerd.pid
LOCK_FILE=$STATE_DIR/host.lock

export DOCKER_HOST=unix://$DOCKER_SOCK

say() { printf '[test-host] %s\n' "$*" >&2; }
die() {
  printf '[test-host] ERROR: %s\n' "$*" >&2
  exit 1
}

# pid_alive PIDFILE: the pid in the file is a running process
pid_alive() {
  local pid
  [ -s "$1" ] || return 1
  pid=$(cat "$1")
  [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

# Stop the process whose pid is in PIDFILE (only that pid), waiting up to SECONDS.
stop_pidfile() {
  local file=$1 seconds=${2:-20} pid i
  pid_alive "$file" || {
    rm -f "$file"
    return 0
  }
  pid=$(cat "$file")
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < seconds * 10; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    say "pid $pid ($file) ignored SIGTERM for ${seconds}s; sending SIGKILL"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  rm -f "$file"
}
