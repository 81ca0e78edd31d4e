#!/bin/sh
# Simulated ts_salkafka producer for the local test host ("a local azar2").
#
# Installed in the salkafka-sim image as /usr/local/bin/run_salkafka_producer.py and run by
# busybox sh. It accepts the real command line, validates component names against the SAL
# catalogue baked into the image, and logs like the real producer, plus a `seq=N ` prefix on
# EVERY line it writes so tests can prove no line was lost or duplicated.
# The line grammar is documented in test/host/README.md; keep both in sync.
#
# Everything is written to stderr (Python logging's default stream) so one stream keeps order.
# The log() function must only be called from this shell process, never from a subshell
# (pipeline or $(...)): the sequence counter lives in a shell variable.

# Since ts_salkafka 1.10 the script is run_salkafka_producer (no .py); the image has both names
# and argparse names itself after the name it was started as.
PROG=${0##*/}
CATALOGUE=${SIM_CATALOGUE:-/etc/salkafka/components.txt} # lines: "<name> <indexEnumeration>"
RETIRED=${SIM_RETIRED:-/etc/salkafka/retired.txt}        # lines: "<name> <replacement or ->"
LOAD_FILE=${SIM_LOAD_FILE:-/sim/load}                     # lines: "<CSC> <topic> <target 0-100>"
# Failures on request, in the same file: "<CSC> <topic> fail-create" (KafkaProducerFactory
# cannot create the topic at start: the producer exits) and "<CSC> <topic> fail-callback"
# (ts_salobj's ReadTopic logs every sample the TopicProducer callback failed on); and
# "shutdown <seconds>" sets how long the next SIGTERM shutdown takes (default SHUTDOWN_S).
# ts_salkafka's readiness file (ComponentProducerSet.__init__): removed at start, touched once
# every producer runs, removed on shutdown; SALKAFKA_SEMAPHORE_SUFFIX adds "_<SUFFIX>" (upper case).
SEMAPHORE=/tmp/SALKAFKA_PRODUCER_RUNNING
if [ -n "$SALKAFKA_SEMAPHORE_SUFFIX" ]; then
  SEMAPHORE="${SEMAPHORE}_$(printf '%s' "$SALKAFKA_SEMAPHORE_SUFFIX" | tr '[:lower:]' '[:upper:]')"
fi
rm -f "$SEMAPHORE"
# Seconds the SIGTERM shutdown takes (closing the DDS readers and Kafka producers); the real one
# can take several seconds, and SIGKILL before "Done" is what operators must never cause.
SHUTDOWN_S=${SIM_SHUTDOWN_SECONDS:-1}
QUEUE_LEN=100

seq_no=0
log_level=20

# --- output -------------------------------------------------------------------------------

raw() { # one line, prefixed, no level filtering (argparse-style output)
  seq_no=$((seq_no + 1))
  printf 'seq=%d %s\n' "$seq_no" "$1" >&2
}

log() { # LEVEL LOGGER MESSAGE  -> "seq=N LEVEL:LOGGER:MESSAGE" if LEVEL passes --loglevel
  case $1 in
    DEBUG) lvl=10 ;; INFO) lvl=20 ;; WARNING) lvl=30 ;; ERROR) lvl=40 ;; *) lvl=50 ;;
  esac
  [ "$lvl" -ge "$log_level" ] || return 0
  seq_no=$((seq_no + 1))
  printf 'seq=%d %s:%s:%s\n' "$seq_no" "$1" "$2" "$3" >&2
}

USAGE="usage: $PROG [-h] [--broker BROKER_URL] [--username USERNAME] [--password PASSWORD] [--registry REGISTRY_URL] [--partitions PARTITIONS] [--replication-factor REPLICATION_FACTOR] [--loglevel LOG_LEVEL] [--wait-ack {0,1,all}] [--file FILE] [--show-schema] [--validate] [components ...]"

usage_error() { # argparse behaviour: usage line, error line, exit status 2
  raw "$USAGE"
  raw "$PROG: error: $1"
  exit 2
}

is_int() { case $1 in '' | *[!0-9]*) return 1 ;; esac; return 0; }
is_signed_int() { case $1 in -*) is_int "${1#-}" ;; *) is_int "$1" ;; esac; }

# --- command line (same flags as ts_salkafka's make_argument_parser) ---------------------------

broker= registry= username= password= have_username=0 have_password=0 partitions=1 replication=3 wait_ack=1 topic_file= components=
have_broker=0 have_registry=0

need_value() { [ $# -ge 2 ] || usage_error "argument $1: expected one argument"; }

while [ $# -gt 0 ]; do
  case $1 in
    --*=*) opt=${1%%=*} val=${1#*=}; shift; set -- "$opt" "$val" "$@" ;; # --flag=value form
  esac
  opt=$1
  case $opt in
    -h | --help)
      raw "$USAGE"
      exit 0 ;;
    --broker) need_value "$@"; broker=$2; have_broker=1; shift 2 ;;
    --registry) need_value "$@"; registry=$2; have_registry=1; shift 2 ;;
    --username) need_value "$@"; username=$2; have_username=1; shift 2 ;; # SASL, since 1.11
    --password) need_value "$@"; password=$2; have_password=1; shift 2 ;;
    --partitions)
      need_value "$@"; is_signed_int "$2" || usage_error "argument --partitions: invalid int value: '$2'"
      partitions=$2; shift 2 ;;
    --replication-factor)
      need_value "$@"; is_signed_int "$2" || usage_error "argument --replication-factor: invalid int value: '$2'"
      replication=$2; shift 2 ;;
    --loglevel)
      need_value "$@"; is_signed_int "$2" || usage_error "argument --loglevel: invalid int value: '$2'"
      log_level=$2; shift 2 ;;
    --wait-ack)
      need_value "$@"
      case $2 in 0 | 1 | all) wait_ack=$2 ;; *) usage_error "argument --wait-ack: invalid choice: '$2' (choose from '0', '1', 'all')" ;; esac
      shift 2 ;;
    --file) need_value "$@"; topic_file=$2; shift 2 ;;
    --show-schema | --validate) shift ;;
    --) shift; components="$components $*"; break ;;
    -*) usage_error "unrecognized arguments: $opt" ;;
    *) components="$components $1"; shift ;;
  esac
done

# The checks of ComponentProducerSet.amain, in its order and words.
[ -z "$topic_file" ] || [ -z "$components" ] || usage_error "Cannot specify components and --file together; pick one."
{ [ "$have_broker" = 1 ] && [ "$have_registry" = 1 ]; } ||
  usage_error "You must specify --broker and --registry unless you use --show-schema or --validate"
[ "$partitions" -gt 0 ] || usage_error "--partitions=$partitions must be positive"
[ -z "$username" ] || [ "$have_password" = 1 ] || usage_error "You must specify --password if you specify --username."
[ -z "$password" ] || [ "$have_username" = 1 ] || usage_error "You must specify --username if you specify --password."
[ -n "$topic_file" ] || [ -n "$components" ] || usage_error "Nothing to do; specify one or more components, or --file."

# --- topics: a small realistic set per CSC (the real ones have many more) ----------------------

topics_for() { # NAME -> $T (space separated topic names)
  case $1 in
    MTRotator) T="rotation motors electrical" ;;
    MTHexapod) T="actuators application electrical" ;;
    MTM2) T="axialForce tangentialForce position temperature" ;;
    MTM1M3) T="forceActuatorData hardpointActuatorData inclinometerData imsData" ;;
    MTMount) T="azimuth elevation cameraCableWrap" ;;
    MTDome) T="azimuth apertureShutter lightWindScreen" ;;
    ATDome) T="position" ;;
    ATAOS) T="heartbeat summaryState logMessage" ;;
    ATMCS) T="mount_AzEl_Encoders trajectory measuredTorque" ;;
    ATPneumatics) T="m1AirPressure mainAirSourcePressure" ;;
    ESS) T="temperature relativeHumidity pressure airFlow" ;;
    WeatherForecast) T="hourlyTrend dailyTrend" ;;
    Electrometer) T="intensity heartbeat" ;;
    TunableLaser) T="temperature heartbeat" ;;
    *) T="heartbeat summaryState logMessage" ;;
  esac
}

# --- catalogue lookups (read in this shell, no subshells) --------------------------------------

lookup_component() { # NAME -> $found (0/1), $index_enum
  found=0 index_enum=
  [ -r "$CATALOGUE" ] || return 0
  while read -r c_name c_enum; do
    if [ "$c_name" = "$1" ]; then found=1; index_enum=$c_enum; return 0; fi
  done <"$CATALOGUE"
}

lookup_retired() { # NAME -> $retired (0/1), $replacement
  retired=0 replacement=
  [ -r "$RETIRED" ] || return 0
  while read -r r_name r_repl; do
    if [ "$r_name" = "$1" ]; then retired=1; replacement=$r_repl; return 0; fi
  done <"$RETIRED"
}

# --- --file topics.yaml: "component: NAME" and topic sets ------------------------------------
# Two shapes: the real one (doc/index.rst: `topic_sets:`, a list whose items each hold
# telemetry/events/commands lists; one partial producer per item) and a flat one with
# telemetry/events at the top (one set). Topic names of set N are kept in $set_N.

n_sets=0
if [ -n "$topic_file" ]; then
  if [ ! -r "$topic_file" ]; then
    log ERROR salkafka "FileNotFoundError: [Errno 2] No such file or directory: '$topic_file'"
    exit 1
  fi
  file_component= section= in_sets=0
  while IFS= read -r line; do
    case $line in
      component:*) for word in ${line#component:}; do file_component=$word; done; continue ;;
      topic_sets:*) in_sets=1 n_sets=0; continue ;;
    esac
    # "- events:" / "- telemetry:" … at the topic_sets level starts a new set.
    case $line in
      *-\ telemetry:* | *-\ events:* | *-\ commands:* | *-\ add_ackcmd:* | *-\ partitions:*)
        if [ "$in_sets" = 1 ]; then n_sets=$((n_sets + 1)); eval "set_$n_sets="; fi ;;
    esac
    [ "$in_sets" = 1 ] || [ "$n_sets" -ge 1 ] || n_sets=1
    case $line in
      *telemetry:* | *events:*) section=topics ;;
      *commands:* | *add_ackcmd:* | *queue_len:* | *partitions:*) section= ;;
      *-\ *) if [ "$section" = topics ]; then item=${line#*- }; eval "set_$n_sets=\"\$set_$n_sets \${item%% *}\""; fi ;;
    esac
  done <"$topic_file"
  if [ -z "$file_component" ]; then
    log ERROR salkafka "jsonschema.exceptions.ValidationError: 'component' is a required property ($topic_file)"
    exit 1
  fi
  components=" $file_component"
  file_topics=
  i=1
  while [ $i -le $n_sets ]; do eval "file_topics=\"\$file_topics \$set_$i\""; i=$((i + 1)); done
fi

# --- DDS domain -------------------------------------------------------------------------------
# The producer runs on LSST_DDS_DOMAIN_ID (default 0, as ts_ddsconfig). A producer attached to the
# host's OpenSplice socket directory (mounted at /tmp, as `${OSPL_SHMEM_SOCKET_DIR}:/tmp/` at the
# summit; the test host marks it with .ospl-shmem-socket-dir) uses shared memory: it needs the
# daemon of its domain, which leaves its key file spddskey_sim_<domain> there (ospl_daemon_sim.sh).
# Without one, ts_salobj's Domain() cannot create the DDS participant: a traceback and exit 1,
# before any producer is created. The directory's sim-domains file ("<CSC> <domain>" lines) says
# on which domain a component runs; a listed component on another domain sends nothing here
# (the real producer logs nothing about it either: its readers simply get no samples).
# Producers without the socket directory behave as before (no daemon, every component seen).
dds_domain=${LSST_DDS_DOMAIN_ID:-0}
is_int "$dds_domain" || dds_domain=0
DDS_DIR=${SIM_DDS_DIR:-/tmp}
daemon_alive() { # the key file exists and its daemon touched it within 5 s (a killed one does not)
  k_file=$DDS_DIR/spddskey_sim_$dds_domain
  [ -e "$k_file" ] || return 1
  k_age=$(($(date +%s) - $(stat -c %Y "$k_file" 2>/dev/null || echo 0)))
  [ "$k_age" -le 5 ]
}
if [ -e "$DDS_DIR/.ospl-shmem-socket-dir" ] && ! daemon_alive; then
  raw "Traceback (most recent call last):"
  raw "  File \"/opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/salkafka/component_producer_set.py\", line 525, in run_producers"
  raw "    async with salobj.Domain() as domain, KafkaProducerFactory("
  raw "  File \"/opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/salobj/domain.py\", line 153, in __init__"
  raw "    self.participant = dds.DomainParticipant(qos=participant_qos)"
  raw "dds._errors.DDSException: Occurred upon initialisation of a dds.DomainParticipant"
  exit 1
fi
csc_domain() { # NAME -> $on_domain (1 if the component sends on this producer's domain)
  on_domain=1
  [ -r "$DDS_DIR/sim-domains" ] && [ -e "$DDS_DIR/.ospl-shmem-socket-dir" ] || return 0
  while read -r d_csc d_dom d_rest; do
    if [ "$d_csc" = "$1" ] && is_int "$d_dom"; then
      if [ "$d_dom" = "$dds_domain" ]; then on_domain=1; else on_domain=0; fi
    fi
  done <"$DDS_DIR/sim-domains"
}

# --- create producers --------------------------------------------------------------------------

# SIGTERM/SIGINT/SIGHUP: ts_salkafka's signal handler cancels the run; the lines below are the
# real ones (run_producers, or run_distributed_producer's print()s for --file). busybox runs the
# trap after the current `sleep` of the main loop, like asyncio after the current await.
shutdown() {
  trap '' TERM INT HUP
  if [ -r "$LOAD_FILE" ]; then
    while read -r l_word l_secs l_rest; do
      if [ "$l_word" = shutdown ] && is_int "$l_secs"; then SHUTDOWN_S=$l_secs; fi
    done <"$LOAD_FILE"
  fi
  if [ "$n_sets" -gt 0 ]; then
    raw "Shutting down partial producers"
    raw "Waiting for partial producer processes to finish."
    sleep "$SHUTDOWN_S"
    i=0
    while [ $i -lt "$n_sets" ]; do
      log INFO salkafka "Partial producer $i shutting down"
      log INFO salkafka "Partial producer $i done"
      i=$((i + 1))
    done
    rm -f "$SEMAPHORE"
    raw "Done"
  else
    log INFO salkafka "Shutting down"
    sleep "$SHUTDOWN_S"
    rm -f "$SEMAPHORE"
    log INFO salkafka "Done"
  fi
  exit 0
}
trap shutdown TERM INT HUP

log INFO salkafka "Creating producers"
n_csc=0 n_pairs=0
for spec in $components; do
  name=${spec%%:*} index=
  [ "$name" = "$spec" ] || index=${spec#*:}
  logger="salkafka.$spec"
  lookup_component "$name"
  if [ "$found" != 1 ]; then
    lookup_retired "$name"
    if [ "$retired" = 1 ]; then
      if [ "$replacement" != "-" ]; then
        log ERROR "$logger" "Unknown SAL component $name: retired from ts_xml, replaced by $replacement"
      else
        log ERROR "$logger" "Unknown SAL component $name: retired from ts_xml"
      fi
    else
      log ERROR "$logger" "Unknown SAL component $name: not in the SAL catalogue of this image"
    fi
    exit 1
  fi
  if [ -n "$index" ]; then
    if ! is_int "$index"; then
      log ERROR "$logger" "Invalid SAL index '$index' for $name: must be an integer"
      exit 1
    fi
    if [ "$index_enum" = no ] && [ "$index" != 0 ]; then
      log ERROR "$logger" "Index=$index must be 0 or None; $name is not an indexed SAL component"
      exit 1
    fi
  fi
  if [ -n "$topic_file" ] && [ -n "$file_topics" ]; then T=$file_topics; else topics_for "$name"; fi
  n_csc=$((n_csc + 1))
  csc_domain "$name"
  eval "csc_$n_csc=\$spec cscl_$n_csc=\$logger cscn_$n_csc=0 cscd_$n_csc=$on_domain"
  n_topics=0
  for topic in $T; do
    n_topics=$((n_topics + 1)) n_pairs=$((n_pairs + 1))
    # per (CSC, topic) pair: owning CSC, full name, base name, topic, fill, target, thresholds
    eval "pk_$n_pairs=$n_csc pc_$n_pairs=\$spec pb_$n_pairs=\$name pt_$n_pairs=\$topic f_$n_pairs=0 g_$n_pairs=0 w_$n_pairs=10 r_$n_pairs=-1 cf_$n_pairs=0"
  done
  eval "csct_$n_csc=$n_topics"
  log INFO "$logger" "Created producer for $spec: $n_topics topics"
done
# Topic creation (KafkaProducerFactory.make_kafka_topics) fails: log.exception, then raise.
if [ -r "$LOAD_FILE" ]; then
  while read -r l_csc l_topic l_val l_rest; do
    [ "$l_val" = fail-create ] || continue
    k=1
    while [ $k -le $n_pairs ]; do
      eval "c=\$pc_$k b=\$pb_$k t=\$pt_$k"
      if { [ "$l_csc" = "$c" ] || [ "$l_csc" = "$b" ]; } && [ "$l_topic" = "$t" ]; then
        log ERROR salkafka "Failed to create topic lsst.sal.$b.$t"
        raw "Traceback (most recent call last):"
        raw "  File \"/opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/salkafka/kafka_producer_factory.py\", line 179, in make_kafka_topics"
        raw "    future.result()  # The result itself is None"
        raw "cimpl.KafkaException: KafkaError{code=TOPIC_AUTHORIZATION_FAILED,val=29,str=\"Authorization failed.\"}"
        exit 1
      fi
      k=$((k + 1))
    done
  done <"$LOAD_FILE"
fi

if [ "$n_sets" -gt 0 ]; then
  # run_distributed_producer: one subprocess per topic set, each logging its own start.
  raw "Waiting for partial producers to start"
  i=0
  while [ $i -lt "$n_sets" ]; do
    eval "st=\$set_$((i + 1))"
    log INFO salkafka "Creating partial producer $i for $file_component: [events/telemetry:$st]"
    log INFO salkafka "Waiting for partial producer $i to start"
    log INFO salkafka "Partial producer $i running"
    i=$((i + 1))
  done
  raw "Partial producers are all running"
else
  log INFO salkafka "Waiting for producers to start"
  log INFO salkafka "Running"
fi
: >"$SEMAPHORE" 2>/dev/null || true

# --- simulation parameters ---------------------------------------------------------------------

# SIM_PERIOD in seconds, fractions allowed ("0.25"); kept as integer milliseconds because
# shell arithmetic is integer-only (min 50 ms).
period=${SIM_PERIOD:-1}
case $period in
  *.*) p_int=${period%%.*} p_frac=${period#*.} ;;
  *) p_int=$period p_frac= ;;
esac
p_int=${p_int:-0} p_frac="${p_frac}000"
p_frac=${p_frac%"${p_frac#???}"} # first 3 digits
if is_int "$p_int" && is_int "$p_frac"; then
  period_ms=$((p_int * 1000 + 1$p_frac - 1000)) # "1$p_frac" avoids octal for leading zeros
else
  period_ms=1000
fi
[ "$period_ms" -ge 50 ] || period_ms=50
p_frac=00$((period_ms % 1000))
period=$((period_ms / 1000)).${p_frac#"${p_frac%???}"}

step=${SIM_STEP:-20}                 # max change of a queue fill per tick, elements
is_int "$step" && [ "$step" -ge 1 ] || step=20
hb_s=${SIM_HEARTBEAT:-10}           # seconds between "wrote N messages" lines per CSC
is_int "$hb_s" && [ "$hb_s" -ge 1 ] || hb_s=10
hb_ms=$((hb_s * 1000))
flood=${SIM_FLOOD:-0}                # filler lines per second (log-throughput tests)
is_int "$flood" || flood=0
[ "$flood" -le 20000 ] || flood=20000
flood_per_tick=$((flood * period_ms / 1000))
[ "$flood" -eq 0 ] || [ "$flood_per_tick" -ge 1 ] || flood_per_tick=1
log DEBUG salkafka "Simulation: period=${period}s step=$step heartbeat=${hb_ms}ms flood=$flood/s broker=$broker registry=$registry partitions=$partitions replication=$replication wait_ack=$wait_ack"

# --- queue model ------------------------------------------------------------------------------

read_load() { # targets for every pair from the load file; later lines win
  k=1
  while [ $k -le $n_pairs ]; do eval "g_$k=0 cf_$k=0"; k=$((k + 1)); done
  [ -r "$LOAD_FILE" ] || return 0
  while read -r l_csc l_topic l_val l_rest; do
    case $l_csc in '' | '#'*) continue ;; esac
    if [ "$l_val" = fail-callback ]; then
      k=1
      while [ $k -le $n_pairs ]; do
        eval "c=\$pc_$k b=\$pb_$k t=\$pt_$k"
        if { [ "$l_csc" = "$c" ] || [ "$l_csc" = "$b" ]; } && { [ "$l_topic" = '*' ] || [ "$l_topic" = "$t" ]; }; then eval "cf_$k=1"; fi
        k=$((k + 1))
      done
      continue
    fi
    is_int "$l_val" || continue
    [ "$l_val" -le $QUEUE_LEN ] || l_val=$QUEUE_LEN
    k=1
    while [ $k -le $n_pairs ]; do
      eval "c=\$pc_$k b=\$pb_$k t=\$pt_$k"
      if { [ "$l_csc" = '*' ] || [ "$l_csc" = "$c" ] || [ "$l_csc" = "$b" ]; } &&
        { [ "$l_topic" = '*' ] || [ "$l_topic" = "$t" ]; }; then
        eval "g_$k=$l_val"
      fi
      k=$((k + 1))
    done
  done <"$LOAD_FILE"
}

# ts_salobj QueueCapacityChecker for queue_len 100: warn thresholds 10 50 90 100,
# reset thresholds 5 25 45 50 (half of each). w=-1 / r=-1 stand for None.
check_nitems() { # PAIR NITEMS
  eval "w=\$w_$1 r=\$r_$1 t=\$pt_$1 kk=\$pk_$1"
  eval "lg=\$cscl_$kk"
  n=$2
  if [ "$w" -ge 0 ] && [ "$n" -ge "$w" ]; then
    if [ "$n" -ge $QUEUE_LEN ]; then
      w=-1 r=50
      log ERROR "$lg" "$t DDS read queue is full ($QUEUE_LEN elements); data may be lost"
    else
      if [ "$n" -ge 90 ]; then w=100 r=45; elif [ "$n" -ge 50 ]; then w=90 r=25; else w=50 r=5; fi
      log WARNING "$lg" "$t DDS read queue is filling: $n of $QUEUE_LEN elements"
    fi
  elif [ "$r" -ge 0 ] && [ "$n" -le "$r" ]; then
    m=$((n - 1))
    if [ "$m" -ge 50 ]; then w=-1 r=50 # unreachable (n <= r <= 50), kept for symmetry
    elif [ "$m" -ge 45 ]; then w=100 r=45
    elif [ "$m" -ge 25 ]; then w=90 r=25
    elif [ "$m" -ge 5 ]; then w=50 r=5
    else w=10 r=-1
    fi
  fi
  eval "w_$1=$w r_$1=$r"
}

# --- main loop --------------------------------------------------------------------------------

elapsed_ms=0 next_hb=$hb_ms flood_no=0
while :; do
  read_load
  k=1
  while [ $k -le $n_pairs ]; do
    eval "f=\$f_$k g=\$g_$k kk=\$pk_$k"
    eval "od=\$cscd_$kk"
    if [ "$od" = 0 ]; then k=$((k + 1)); continue; fi # not on this domain: no samples
    if [ "$f" -lt "$g" ]; then
      f=$((f + step)); [ "$f" -le "$g" ] || f=$g
    elif [ "$f" -gt "$g" ]; then
      f=$((f - step)); [ "$f" -ge "$g" ] || f=$g
    fi
    eval "f_$k=$f cscn_$kk=\$((cscn_$kk + 1)) cf=\$cf_$k"
    check_nitems $k "$f"
    if [ "$cf" = 1 ]; then
      eval "b=\$pb_$k t=\$pt_$k lg=\$cscl_$kk"
      log ERROR "$lg.$t" "Callback <lsst.ts.salkafka.topic_producer.TopicProducer object at 0x7f3a2c1d5e50> failed with data=$b.$t(private_seqNum=$seq_no)"
    fi
    k=$((k + 1))
  done
  if [ "$flood_per_tick" -gt 0 ]; then
    i=0
    while [ $i -lt "$flood_per_tick" ]; do
      i=$((i + 1)) flood_no=$((flood_no + 1))
      log INFO salkafka.flood "filler line $flood_no"
    done
  fi
  elapsed_ms=$((elapsed_ms + period_ms))
  if [ "$elapsed_ms" -ge "$next_hb" ]; then
    next_hb=$((next_hb + hb_ms))
    k=1
    while [ $k -le $n_csc ]; do
      eval "lg=\$cscl_$k cnt=\$cscn_$k"
      log INFO "$lg" "wrote $cnt messages"
      k=$((k + 1))
    done
  fi
  sleep "$period"
done
