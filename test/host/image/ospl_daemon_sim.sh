#!/bin/sh
# Simulated OpenSplice daemon (ospl-daemon image) of one DDS domain for the local test host.
# Installed in the ospl-daemon-sim image as /usr/local/bin/ospl_daemon_sim and run by busybox sh.
# It announces itself in the socket directory shared with the producers (mounted at /tmp, as
# `${OSPL_SHMEM_SOCKET_DIR}:/tmp/` at the summit) with a key file spddskey_sim_<domain>, which
# shared-memory producers of that domain need (run_salkafka_producer.sh), and removes it on
# SIGTERM, as spliced removes its key file when it stops.
domain=${LSST_DDS_DOMAIN_ID:-0}
case $domain in '' | *[!0-9]*) echo "ospl_daemon_sim: LSST_DDS_DOMAIN_ID '$domain' is not a domain ID" >&2; exit 1 ;; esac
name=${LSST_DDS_DOMAIN_NAME:-ospl_sp_ddsi}
dir=${SIM_DDS_DIR:-/tmp}
key=$dir/spddskey_sim_$domain
stop() {
  rm -f "$key"
  echo "Report : Domain $name (id $domain) daemon stopped" >&2
  exit 0
}
trap stop TERM INT HUP
printf '%s %s %s\n' "$name" "$domain" "$(hostname)" >"$key"
echo "Report : Domain $name (id $domain) daemon started, key file $key" >&2
# Touched every second: a key file older than a few seconds is a daemon that was killed.
while :; do
  sleep 1
  touch "$key"
done
