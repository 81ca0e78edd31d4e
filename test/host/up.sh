#!/usr/bin/env bash
# Bring up (or reset) the local test host "azar2-test": a real sshd on 127.0.0.1:2222 and a real
# dockerd running simulated salkafka producers from a docker-compose file at the same path as on
# azar2.cp.lsst.org. See test/host/README.md.
#
#   test/host/up.sh            full run: install if needed, start daemons, reset to the baseline
#   test/host/up.sh --ensure   if the host already answers, do nothing; else do a full run
#
# Debian 12, root, no systemd. Everything generated goes to .test-host/ (git-ignored).
set -euo pipefail

# shellcheck source=test/host/common.sh
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"
# shellcheck source=test/host/cycles.sh
source "$(dirname "${BASH_SOURCE[0]}")/cycles.sh"

parse_mode "$@"

[ "$(id -u)" = 0 ] || die "must run as root (it installs packages, creates users and starts dockerd/sshd)"
mkdir -p "$STATE_DIR"
T_START=$(date +%s%N)

# One up/down at a time: several engineers' test runs may call this concurrently.
# The daemons started below run through no_inherited_fds (common.sh) so they do not inherit (and hold) this lock forever.
exec 9>"$LOCK_FILE"
flock -w 900 9 || die "could not get $LOCK_FILE within 900 s (another up.sh/down.sh is stuck?)"

elapsed() { echo $((($(date +%s%N) - T_START) / 1000000)); }

# ---------------------------------------------------------------------------------------------
# Health probe used by --ensure (and by testHost.ts through --ensure).

ssh_probe() { # USER-ALIAS
  timeout 15 ssh -F "$STATE_DIR/ssh_config" -o BatchMode=yes -o ConnectTimeout=5 "$1" true 2>/dev/null
}

host_healthy() {
  [ -s "$STATE_DIR/host.json" ] && [ -s "$STATE_DIR/ssh_config" ] || return 1
  pid_alive "$SSHD_PID_FILE" || return 1
  docker_answers || return 1
  docker image inspect "$IMAGE" >/dev/null 2>&1 || return 1
  { pid_alive "$REGISTRY_PID_FILE" && registry_answers; } || return 1
  ssh_probe "$SSH_ALIAS"
}

if [ "$MODE" = ensure ] && host_healthy; then
  say "already up (ensure mode, $(elapsed) ms): $STATE_DIR/host.json"
  exit 0
fi

# ---------------------------------------------------------------------------------------------
# 1. Packages (skipped when present). policy-rc.d stops the packages' init scripts from starting
#    a system sshd on :22 or a default dockerd on our socket during installation.

# fish, zsh and tcsh: login shells the remote quoting is tested under (test/unit/ssh/shellQuote.test.ts).
# docker-registry, curl: the local image registry of the simulated cycles (cycles.sh).
PACKAGES=(docker.io docker-compose openssh-server busybox-static jq fish zsh tcsh docker-registry curl)

install_packages() {
  local missing=() p
  for p in "${PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  say "installing: ${missing[*]}"
  local made_policy=0
  if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\n# test/host/up.sh: no service starts during package installation\nexit 101\n' >/usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
  fi
  local rc=0
  flock /tmp/apt.lock apt-get update -qq -o DPkg::Lock::Timeout=600 >"$STATE_DIR/apt.log" 2>&1 || rc=$?
  if [ $rc -eq 0 ]; then
    DEBIAN_FRONTEND=noninteractive flock /tmp/apt.lock \
      apt-get install -y -q -o DPkg::Lock::Timeout=600 --no-install-recommends "${missing[@]}" \
      >>"$STATE_DIR/apt.log" 2>&1 || rc=$?
  fi
  [ $made_policy = 1 ] && rm -f /usr/sbin/policy-rc.d
  [ $rc -eq 0 ] || {
    tail -n 30 "$STATE_DIR/apt.log" >&2
    die "apt-get failed (exit $rc); full log: $STATE_DIR/apt.log"
  }
}

# ---------------------------------------------------------------------------------------------
# 2. Users and keys.

ensure_user() { # NAME IN_DOCKER_GROUP(0/1) KEYFILE
  local name=$1 in_docker=$2 key=$3 home
  id "$name" >/dev/null 2>&1 || useradd --create-home --shell /bin/bash "$name"
  usermod -p '*' "$name" # unlocked for key auth with UsePAM no, still no password
  if [ "$in_docker" = 1 ]; then
    usermod -aG docker "$name"
  elif id -nG "$name" | tr ' ' '\n' | grep -qx docker; then
    gpasswd -d "$name" docker >/dev/null
  fi
  [ -f "$key" ] || ssh-keygen -q -t ed25519 -N '' -C "$name@$SSH_ALIAS" -f "$key"
  home=$(getent passwd "$name" | cut -d: -f6)
  install -d -m 700 -o "$name" -g "$name" "$home/.ssh"
  install -m 600 -o "$name" -g "$name" "$key.pub" "$home/.ssh/authorized_keys"
}

ensure_users() {
  getent group docker >/dev/null || groupadd --system docker
  ensure_user "$SSH_USER" 1 "$STATE_DIR/id_$SSH_USER"
  ensure_user "$NODOCKER_USER" 0 "$STATE_DIR/id_$NODOCKER_USER"
}

# ---------------------------------------------------------------------------------------------
# 3. sshd on 127.0.0.1:2222 with its own host key and an ABSOLUTE config path.

HOST_KEY=$STATE_DIR/ssh_host_ed25519_key
SSHD_CONFIG=$STATE_DIR/sshd_config

start_sshd() {
  [ -f "$HOST_KEY" ] || ssh-keygen -q -t ed25519 -N '' -C "$SSH_ALIAS-hostkey" -f "$HOST_KEY"
  {
    echo '# Generated by test/host/up.sh. Second sshd for the local test host; not the system sshd.'
    sshd_config_common "$SSH_PORT" "$HOST_KEY" "$SSHD_PID_FILE" "$SSH_USER" "$NODOCKER_USER"
    cat <<EOF
# Benchmarks open many sessions/connections at once.
MaxSessions 64
MaxStartups 64:30:128
LogLevel VERBOSE
EOF
  } >"$SSHD_CONFIG.new"
  launch_sshd "$SSHD_CONFIG.new" "$SSHD_CONFIG" "$SSHD_PID_FILE" "$STATE_DIR/sshd.log" "$SSH_PORT" sshd
}

# ---------------------------------------------------------------------------------------------
# 4. dockerd by hand (no systemd), flags from the shared TEST-HOST.md beside the checkout.

start_dockerd() {
  if pid_alive "$DOCKERD_PID_FILE" && docker_answers; then return 0; fi
  if docker_answers; then
    say "WARNING: a dockerd not started by up.sh answers on $DOCKER_SOCK; using it"
    return 0
  fi
  launch_dockerd "$DOCKER_SOCK" "$DOCKER_DATA_ROOT" "$DOCKER_EXEC_ROOT" "$DOCKERD_PID_FILE" "$STATE_DIR/dockerd.log" dockerd
}

# ---------------------------------------------------------------------------------------------
# 5. Image salkafka-sim:test from a busybox rootfs (docker import; no registry). Rebuilt only
#    when the simulator, the catalogue or busybox changed (content hash in an image label).

# The shared catalogue (shared/ beside the checkout) when there is one, else the copy kept beside the simulator.
CATALOGUE_JSON=${SALKAFKA_SAL_CATALOGUE:-$REPO_ROOT/../shared/data/sal-components.json}
[ -f "$CATALOGUE_JSON" ] || CATALOGUE_JSON=$HOST_DIR/image/sal-components.json
# Where an installed ts_xml package keeps its data in a conda-based image.
SIM_TS_XML_PACKAGE=/opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/xml

build_image() {
  [ -f "$CATALOGUE_JSON" ] || die "SAL catalogue not found ($CATALOGUE_JSON); set SALKAFKA_SAL_CATALOGUE"
  local build=$STATE_DIR/image
  rm -rf "$build"
  mkdir -p "$build/rootfs"/{bin,usr/local/bin,etc/salkafka,tmp,sim,root}
  jq -r '.components[] | "\(.name) \(.indexEnumeration)"' "$CATALOGUE_JSON" >"$build/rootfs/etc/salkafka/components.txt"
  jq -r '.retired[] | "\(.name) \(.replacement // "-")"' "$CATALOGUE_JSON" >"$build/rootfs/etc/salkafka/retired.txt"
  install -m 755 "$HOST_DIR/image/run_salkafka_producer.sh" "$build/rootfs/usr/local/bin/run_salkafka_producer.py"
  install -m 755 "$HOST_DIR/image/ospl_daemon_sim.sh" "$build/rootfs/usr/local/bin/ospl_daemon_sim"
  # The same catalogue as ts_xml's own SALSubsystems.xml inside an installed ts_xml package, where
  # real salkafka images have it, plus the version.py setuptools_scm writes beside it: the
  # extension reads the catalogue in force from the image (src/core/catalogue/imageCatalogues.ts).
  local xml_pkg=$build/rootfs$SIM_TS_XML_PACKAGE
  mkdir -p "$xml_pkg/data/sal_interfaces"
  {
    echo '<?xml version="1.0" encoding="UTF-8"?>'
    echo '<SALSubsystemSet>'
    jq -r '.components[] | "<SALSubsystem>\n  <Name>\(.name)</Name>\n  <Description>\(.description // "" | @html)</Description>\n  <IndexEnumeration>\(.indexEnumeration // "no" | @html)</IndexEnumeration>\n</SALSubsystem>"' "$CATALOGUE_JSON"
    echo '</SALSubsystemSet>'
  } >"$xml_pkg/data/sal_interfaces/SALSubsystems.xml"
  local xml_version
  xml_version=$(jq -r '.versions[-1] // empty' "$REPO_ROOT/src/core/catalogue/sal-history.json" 2>/dev/null || true)
  if [ -n "$xml_version" ]; then
    printf '# Generated by setuptools_scm\n__all__ = ["__version__"]\n__version__ = "%s"\n' "$xml_version" >"$xml_pkg/version.py"
  fi
  # ts_salkafka >= 1.10 names the script without .py; images of both eras are in use.
  ln -sf run_salkafka_producer.py "$build/rootfs/usr/local/bin/run_salkafka_producer"
  local hash
  local hashed=(/bin/busybox "$build/rootfs/etc/salkafka/"*.txt "$build/rootfs/usr/local/bin/run_salkafka_producer.py" "$build/rootfs/usr/local/bin/ospl_daemon_sim" "$xml_pkg/data/sal_interfaces/SALSubsystems.xml")
  [ -f "$xml_pkg/version.py" ] && hashed+=("$xml_pkg/version.py")
  hash=$(cat "${hashed[@]}" | sha256sum | cut -c1-16)
  if [ "$(docker image inspect -f '{{ index .Config.Labels "org.lsst.salkafka-sim.hash" }}' "$IMAGE" 2>/dev/null || true)" = "$hash" ] &&
    [ "$(docker image inspect -f '{{ index .Config.Labels "org.lsst.salkafka-sim.hash" }}' "$DAEMON_IMAGE" 2>/dev/null || true)" = "$hash" ]; then
    return 0
  fi
  say "building $IMAGE (hash $hash)"
  cp /bin/busybox "$build/rootfs/bin/busybox"
  local applet
  for applet in $(/bin/busybox --list); do
    [ "$applet" = busybox ] || ln -sf busybox "$build/rootfs/bin/$applet"
  done
  printf 'root:x:0:0:root:/root:/bin/sh\n' >"$build/rootfs/etc/passwd"
  printf 'root:x:0:\n' >"$build/rootfs/etc/group"
  chmod 1777 "$build/rootfs/tmp"
  tar -C "$build/rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'WORKDIR /' \
    --change 'CMD ["run_salkafka_producer.py", "--help"]' \
    --change "LABEL org.lsst.salkafka-sim.hash=$hash" \
    - "$IMAGE" >/dev/null
  # The daemon image: the same files, started as the domain's OpenSplice daemon.
  tar -C "$build/rootfs" -c . | docker import \
    --change 'ENV PATH=/usr/local/bin:/usr/bin:/bin' \
    --change 'WORKDIR /' \
    --change 'CMD ["ospl_daemon_sim"]' \
    --change "LABEL org.lsst.salkafka-sim.hash=$hash" \
    - "$DAEMON_IMAGE" >/dev/null
  docker image prune -f >/dev/null # the previous build, now untagged
}

# ---------------------------------------------------------------------------------------------
# 6. The compose file at the real path, its .env and one load file per producer.

# Baseline producers: service name and CSC_LIST.
SERVICES=(salkafka-m2 salkafka-at salkafka-eas salkafka-calib)
declare -A CSC_LISTS=(
  [salkafka-m2]="MTRotator MTHexapod MTM2"
  [salkafka-at]="ATDome ATAOS ATMCS"
  [salkafka-eas]="ESS:1 ESS:2 WeatherForecast"
  [salkafka-calib]="Electrometer:1 TunableLaser"
)
ORPHAN=salkafka-orphan
ORPHAN_CSC_LIST="MTMount"

write_compose() {
  mkdir -p "$COMPOSE_DIR/sim"
  {
    echo "# Local test host copy of azar2's kafka_writers producers (generated by test/host/up.sh)."
    echo "# Baseline: salkafka-m2 and salkafka-at running, salkafka-eas stopped, salkafka-calib not created."
    echo 'version: "3.7"'
    echo
    echo "services:"
    local s
    for s in "${SERVICES[@]}"; do compose_service "$s" "${CSC_LISTS[$s]}" logging; done
  } >"$COMPOSE_FILE.new"
  mv "$COMPOSE_FILE.new" "$COMPOSE_FILE"
  {
    echo CYCLE=c0039.000
    producer_env summit 12
    # Shared-memory producers mount it at /tmp/ and need their domain's daemon (ospl_daemon_sim.sh).
    echo "OSPL_SHMEM_SOCKET_DIR=$OSPL_SOCKET_DIR"
  } >"$COMPOSE_DIR/.env"
  write_socket_dir
  # Load files: one directory per producer mounted at /sim (a directory, not the file, so an
  # atomic rename by a test is seen by the running container).
  rm -rf "$COMPOSE_DIR/sim"
  # Backups and temp files left by earlier runs' changes (the audit log is kept: tests count what they add).
  find "$COMPOSE_DIR" -maxdepth 1 \( -name '*.bak' -o -name '.*.salkafka-*.tmp' \) -delete
  for s in "${SERVICES[@]}" "$ORPHAN"; do
    mkdir -p "$COMPOSE_DIR/sim/$s"
    cat >"$COMPOSE_DIR/sim/$s/load" <<'EOF'
# <CSC> <topic> <target fill 0-100>; "*" matches any CSC/topic, later lines win; re-read every tick.
* * 2
EOF
  done
  chown -R "$SSH_USER:$SSH_USER" /deploy-lsst/docker-compose-ops
  chmod 755 /deploy-lsst
}

# The OpenSplice socket directory: its marker (a producer that mounts it uses shared memory),
# where each simulated component runs (MTM2 is in integration on domain 7; unlisted components run
# on every domain), and no daemon key files left by earlier runs. Development producers written
# by tests into sibling compose files (they carry org.lsst.efd.salkafka.* labels) are removed.
write_socket_dir() {
  rm -rf "$OSPL_SOCKET_DIR"
  install -d -m 1777 "$OSPL_SOCKET_DIR"
  : >"$OSPL_SOCKET_DIR/.ospl-shmem-socket-dir"
  printf '# <CSC> <DDS domain it runs on>; seen only by producers sharing this directory\nMTM2 7\n' >"$OSPL_SOCKET_DIR/sim-domains"
  local f
  for f in "$COMPOSE_DIR"/docker-compose-*.yaml; do
    [ -f "$f" ] && grep -q 'org\.lsst\.efd\.salkafka\.' "$f" && rm -f "$f"
  done
  return 0
}

# ---------------------------------------------------------------------------------------------
# 7. Containers back to the baseline (fresh containers, so logs and seq numbers restart).

compose() { (cd "$COMPOSE_DIR" && docker-compose -f "$COMPOSE_FILE" --ansi never "$@") >>"$STATE_DIR/compose.log" 2>&1; }

reset_containers() {
  local ids
  ids=$({
    docker ps -aq --filter 'name=^salkafka-'
    docker ps -aq --filter 'label=com.docker.compose.project=kafka_writers'
    docker ps -aq --filter 'name=^ospl-daemon-domain-'
  } | sort -u)
  # shellcheck disable=SC2086
  [ -z "$ids" ] || docker rm -f $ids >/dev/null
  : >"$STATE_DIR/compose.log"
  compose up -d salkafka-m2 salkafka-at salkafka-eas || {
    tail -n 30 "$STATE_DIR/compose.log" >&2
    die "docker-compose up failed; log: $STATE_DIR/compose.log"
  }
  set -a
  # shellcheck disable=SC1091
  source "$COMPOSE_DIR/.env"
  set +a
  docker run -d --name "$ORPHAN" --network none --restart unless-stopped \
    --log-driver json-file --log-opt max-size=10m --log-opt max-file=3 \
    -e LSST_DDS_PARTITION_PREFIX -e LSST_DDS_DOMAIN_ID -e BROKER_IP -e BROKER_PORT -e REGISTRY_ADDR \
    -e PARTITIONS -e REPLICATION -e LOG_LEVEL -e WAIT_ACK -e SIM_PERIOD -e "CSC_LIST=$ORPHAN_CSC_LIST" \
    -v "$COMPOSE_DIR/sim/$ORPHAN:/sim:ro" \
    "$IMAGE" sh -c 'run_salkafka_producer.py --broker $BROKER_IP:$BROKER_PORT --registry $REGISTRY_ADDR --partitions $PARTITIONS --loglevel $LOG_LEVEL --replication-factor $REPLICATION --wait-ack $WAIT_ACK $CSC_LIST' \
    >/dev/null
  # eas must have installed its SIGTERM trap (it has once it logs Running) before it is stopped.
  wait_running salkafka-m2 salkafka-at salkafka-eas "$ORPHAN"
  compose stop -t 10 salkafka-eas || die "docker-compose stop salkafka-eas failed; log: $STATE_DIR/compose.log"
}

# ---------------------------------------------------------------------------------------------
# 8. Client-side files: ssh_config, known_hosts, host.json.

write_client_files() {
  local hostkey_line fingerprint
  hostkey_line=$(cut -d' ' -f1,2 "$HOST_KEY.pub")
  printf '[%s]:%s %s\n' "$SSH_ADDR" "$SSH_PORT" "$hostkey_line" >"$STATE_DIR/known_hosts"
  fingerprint=$(ssh-keygen -lf "$HOST_KEY.pub" | awk '{print $2}')
  {
    ssh_host_block "$SSH_ALIAS" "$SSH_PORT" "$SSH_USER" "$STATE_DIR/known_hosts"
    echo
    ssh_host_block "$SSH_ALIAS-nodocker" "$SSH_PORT" "$NODOCKER_USER" "$STATE_DIR/known_hosts"
  } >"$STATE_DIR/ssh_config"
  jq -n \
    --arg host "$SSH_ADDR" --argjson port "$SSH_PORT" --arg user "$SSH_USER" \
    --arg identityFile "$STATE_DIR/id_$SSH_USER" \
    --arg noDockerUser "$NODOCKER_USER" --arg noDockerIdentityFile "$STATE_DIR/id_$NODOCKER_USER" \
    --arg knownHostsFile "$STATE_DIR/known_hosts" --arg hostKeyFingerprint "$fingerprint" \
    --arg composeFile "$COMPOSE_FILE" --arg sshConfigFile "$STATE_DIR/ssh_config" \
    --arg sshAlias "$SSH_ALIAS" --arg noDockerSshAlias "$SSH_ALIAS-nodocker" \
    --arg dockerSocket "$DOCKER_SOCK" --arg image "$IMAGE" --arg loadDir "$COMPOSE_DIR/sim" \
    --arg stateDir "$STATE_DIR" --arg registry "$SIM_REGISTRY" --arg cycleRepository "$SIM_CYCLE_REPO" \
    --arg cycles "${SIM_CYCLES[*]}" \
    '{host: $host, port: $port, user: $user, identityFile: $identityFile,
      noDockerUser: $noDockerUser, noDockerIdentityFile: $noDockerIdentityFile,
      knownHostsFile: $knownHostsFile, hostKeyFingerprint: $hostKeyFingerprint,
      composeFile: $composeFile, sshConfigFile: $sshConfigFile,
      sshAlias: $sshAlias, noDockerSshAlias: $noDockerSshAlias, dockerSocket: $dockerSocket,
      image: $image, loadDir: $loadDir, stateDir: $stateDir,
      registry: $registry, cycleRepository: $cycleRepository, cycles: ($cycles | split(" "))}' >"$STATE_DIR/host.json.new"
  mv "$STATE_DIR/host.json.new" "$STATE_DIR/host.json"
}

# ---------------------------------------------------------------------------------------------
# 9. Prove it end to end through ssh before declaring success.

verify() {
  local ps
  ps=$(timeout 20 ssh -F "$STATE_DIR/ssh_config" -o BatchMode=yes "$SSH_ALIAS" \
    "docker ps -a --format '{{.Names}} {{.State}}'") || die "ssh $SSH_ALIAS 'docker ps' failed"
  grep -qx 'salkafka-m2 running' <<<"$ps" || die "salkafka-m2 is not running: $ps"
  grep -qx 'salkafka-at running' <<<"$ps" || die "salkafka-at is not running: $ps"
  grep -qx 'salkafka-eas exited' <<<"$ps" || die "salkafka-eas is not exited: $ps"
  grep -qx "$ORPHAN running" <<<"$ps" || die "$ORPHAN is not running: $ps"
  ! grep -q '^salkafka-calib ' <<<"$ps" || die "salkafka-calib exists but must not be created: $ps"
}

install_packages
say "packages ok ($(elapsed) ms)"
ensure_users
start_sshd
say "sshd ok ($(elapsed) ms)"
start_dockerd
say "dockerd ok ($(elapsed) ms)"
build_image
start_registry
push_cycle_images
say "registry and simulated cycles ok ($(elapsed) ms)"
write_compose
reset_containers
unpull_cycle_images
say "containers at baseline ($(elapsed) ms)"
write_client_files
verify

TOTAL_MS=$(elapsed)
echo "$(date -Is) mode=$MODE ms=$TOTAL_MS" >>"$STATE_DIR/timings.log"
say "ready in $TOTAL_MS ms; host info: $STATE_DIR/host.json"
echo "# ssh config for the local test host (also in $STATE_DIR/ssh_config):"
cat "$STATE_DIR/ssh_config"
