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
# The simulated OpenSplice daemon (ospl-daemon image of the summit): same rootfs, its own command.
DAEMON_IMAGE=ospl-daemon-sim:test
# The host's OpenSplice socket directory (OSPL_SHMEM_SOCKET_DIR; /deploy-lsstts/docker_tmp/ at the summit).
OSPL_SOCKET_DIR=/deploy-lsst/docker_tmp

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

# parse_mode ARGS...: sets MODE to full (no argument) or ensure (--ensure), the up scripts' only option.
parse_mode() {
  MODE=full
  case "${1:-}" in
    --ensure) MODE=ensure ;;
    '') ;;
    *) die "usage: $0 [--ensure]" ;;
  esac
}

docker_answers() { timeout 10 docker info >/dev/null 2>&1; }

# no_inherited_fds CMD...: run CMD with only stdin, stdout and stderr open. A daemon started here
# outlives the script; any other descriptor it inherited (this script's lock on fd 9, or a lock a
# caller took around the whole run with `flock FILE bash test/host/up.sh`) would stay held for as
# long as the daemon runs, and every later taker of that lock would wait for ever.
no_inherited_fds() {
  local fd
  for fd in /proc/$BASHPID/fd/*; do
    fd=${fd##*/}
    [ "$fd" -gt 2 ] 2>/dev/null && eval "exec $fd>&-"
  done
  exec "$@"
}

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

# --- Pieces both test hosts build the same way (up.sh: host A, up-b.sh: host B); each script
#     passes what differs (port, key, users, socket, paths), so the two cannot drift apart.

# sshd_config_common PORT HOST_KEY PID_FILE USER...: the sshd_config lines both hosts share (key
# login only, for the given users; forwarding on, which Docker over SSH needs; internal sftp).
sshd_config_common() {
  local port=$1 key=$2 pidfile=$3
  shift 3
  cat <<EOF
Port $port
ListenAddress $SSH_ADDR
HostKey $key
PidFile $pidfile
AuthorizedKeysFile .ssh/authorized_keys
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
PermitRootLogin no
AllowUsers $*
AllowStreamLocalForwarding yes
AllowTcpForwarding yes
Subsystem sftp internal-sftp
EOF
}

# launch_sshd NEW_CONFIG CONFIG PID_FILE LOG PORT NAME: install NEW_CONFIG as CONFIG and (re)start
# that sshd, unless it already runs with exactly that config (then nothing is touched).
launch_sshd() {
  local new=$1 config=$2 pidfile=$3 log=$4 port=$5 name=$6
  if pid_alive "$pidfile" && cmp -s "$new" "$config"; then
    rm -f "$new"
    return 0
  fi
  mv "$new" "$config"
  stop_pidfile "$pidfile" 10
  mkdir -p /run/sshd
  chmod 755 /run/sshd
  /usr/sbin/sshd -t -f "$config" || die "sshd -t rejected $config"
  # sshd daemonises itself (fork + setsid), so it outlives this script.
  (no_inherited_fds /usr/sbin/sshd -f "$config" -E "$log" </dev/null) || {
    tail -n 20 "$log" >&2
    die "$name failed to start (is $SSH_ADDR:$port taken? see $log)"
  }
  local i
  for ((i = 0; i < 100; i++)); do
    timeout 1 bash -c "exec 3<>/dev/tcp/$SSH_ADDR/$port" 2>/dev/null && return 0
    sleep 0.1
  done
  tail -n 20 "$log" >&2
  die "$name does not accept connections on $SSH_ADDR:$port"
}

docker_answers_at() { timeout 10 env DOCKER_HOST="unix://$1" docker info >/dev/null 2>&1; } # SOCKET

# launch_dockerd SOCKET DATA_ROOT EXEC_ROOT PID_FILE LOG NAME: start a dockerd by hand (no
# systemd) with its own socket, data root, exec root and pidfile, and wait until it answers.
launch_dockerd() {
  local sock=$1 data_root=$2 exec_root=$3 pidfile=$4 log=$5 name=$6
  stop_pidfile "$pidfile" 20
  mkdir -p "$data_root" "$exec_root"
  say "starting $name ($sock, data root $data_root)"
  (no_inherited_fds setsid nohup dockerd \
    --host "unix://$sock" --group docker \
    --iptables=false --ip-masq=false --bridge=none \
    --data-root "$data_root" --exec-root "$exec_root" \
    --pidfile "$pidfile" \
    >>"$log" 2>&1 </dev/null) &
  local i pid=$!
  for ((i = 0; i < 600; i++)); do
    docker_answers_at "$sock" && return 0
    kill -0 "$pid" 2>/dev/null || break # dockerd exited: no point waiting
    sleep 0.1
  done
  tail -n 30 "$log" >&2
  die "$name did not answer 'docker info' within 60 s; log: $log"
}

# compose_service NAME CSC_LIST [logging] : one service block in the style of the real
# kafka_writers file; "logging" adds the json-file rotation the real file sets.
compose_service() {
  cat <<EOF

  $1:
    image: \${IMAGE}
    container_name: $1
    restart: unless-stopped
    network_mode: none
    environment:
      - LSST_DDS_PARTITION_PREFIX=\${LSST_DDS_PARTITION_PREFIX}
      - LSST_DDS_DOMAIN_ID=\${LSST_DDS_DOMAIN_ID}
      - BROKER_IP=\${BROKER_IP}
      - BROKER_PORT=\${BROKER_PORT}
      - REGISTRY_ADDR=\${REGISTRY_ADDR}
      - PARTITIONS=\${PARTITIONS}
      - REPLICATION=\${REPLICATION}
      - LOG_LEVEL=\${LOG_LEVEL}
      - WAIT_ACK=\${WAIT_ACK}
      - SIM_PERIOD=\${SIM_PERIOD}
      - CSC_LIST=$2
    volumes:
      - ./sim/$1:/sim:ro
EOF
  if [ "${3:-}" = logging ]; then
    cat <<'EOF'
    logging:
      driver: json-file
      options:
        max-size: "10m"
        max-file: "3"
EOF
  fi
  cat <<'EOF'
    command: sh -c "run_salkafka_producer.py --broker $$BROKER_IP:$$BROKER_PORT --registry $$REGISTRY_ADDR --partitions $$PARTITIONS --loglevel $$LOG_LEVEL --replication-factor $$REPLICATION --wait-ack $$WAIT_ACK $$CSC_LIST"
EOF
}

# producer_env PARTITION_PREFIX DOMAIN_ID: the compose .env both hosts' producers read; only the
# DDS partition prefix and domain differ between the two sites.
producer_env() {
  cat <<EOF
IMAGE=$IMAGE
LSST_DDS_PARTITION_PREFIX=$1
LSST_DDS_DOMAIN_ID=$2
BROKER_IP=127.0.0.1
BROKER_PORT=9094
REGISTRY_ADDR=http://127.0.0.1:8081
PARTITIONS=1
REPLICATION=3
LOG_LEVEL=20
WAIT_ACK=1
SIM_PERIOD=1
EOF
}

# wait_running CONTAINER...: until each has logged "INFO:salkafka:Running" (on the engine that
# DOCKER_HOST names).
wait_running() {
  local c i
  for c in "$@"; do
    for ((i = 0; i < 300; i++)); do
      docker logs "$c" 2>&1 | grep -q ' INFO:salkafka:Running$' && continue 2
      sleep 0.1
    done
    docker logs "$c" 2>&1 | tail -n 20 >&2
    die "$c did not log 'Running' within 30 s"
  done
}

# ssh_host_block ALIAS PORT USER KNOWN_HOSTS: one ssh_config Host block for a test host.
ssh_host_block() {
  cat <<EOF
Host $1
  HostName $SSH_ADDR
  Port $2
  User $3
  IdentityFile $STATE_DIR/id_$3
  IdentitiesOnly yes
  UserKnownHostsFile $4
  GlobalKnownHostsFile /dev/null
  StrictHostKeyChecking yes
EOF
}
