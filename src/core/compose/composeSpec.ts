import { any, arr, bool, int, mapOf, nul, num, obj, oneOf, Spec, str } from './specTypes';

// Structure of a compose file as docker-compose 1.29.2 validates it (its compose_spec.json,
// checked after reading the file as YAML 1.1): the keys it knows and the types it accepts.
// The differential test against the real docker-compose holds this to its verdicts.
// Keys that only Compose v2 knows (gpus, develop, top-level name…) are refused by 1.29.2 and
// so are unknown here; see COMPOSE_V2_ONLY for the message.

const strNum = oneOf(str(), num());
const listOfStrings = arr(str(), undefined, { unique: true });
const stringOrList = oneOf(str(), listOfStrings);
/** list_or_dict: `- KEY=VALUE` strings, or a mapping of string, number or empty values. */
const listOrDict = oneOf(arr(str(), undefined, { unique: true }), mapOf(oneOf(str(), num(), nul)));
const ext = { extensions: true };
/** Labels: docker-compose converts the values of the mapping form to strings, so true is fine there. */
const labels = oneOf(arr(str(), undefined, { unique: true }), mapOf(oneOf(str(), num(), bool(), nul)));

const environment: Spec = oneOf(
  arr(str(), 'List form, as in the summit file: - CSC_LIST=MTRotator MTHexapod MTM2', { unique: true }),
  mapOf(oneOf(str(), num(), nul), 'Map form: CSC_LIST: MTRotator MTHexapod MTM2'),
);
environment.description = 'Environment of the container. For a producer: CSC_LIST, BROKER_IP, BROKER_PORT, REGISTRY_ADDR, PARTITIONS, REPLICATION, LOG_LEVEL, WAIT_ACK, LSST_DDS_PARTITION_PREFIX, LSST_DDS_DOMAIN_ID.';

const serviceNetworks = oneOf(
  listOfStrings,
  mapOf(
    oneOf(
      obj(
        {
          aliases: listOfStrings,
          ipv4_address: str('Static IPv4 address; must be unique on the network.'),
          ipv6_address: str(),
          link_local_ips: listOfStrings,
          priority: num(),
        },
        ext,
      ),
      nul,
    ),
  ),
);

const logging = obj(
  { driver: str('Logging driver; the summit uses json-file.'), options: mapOf(oneOf(str(), num(), nul), 'Driver options, e.g. max-size and max-file.') },
  ext,
);

const volumeMount = oneOf(
  str(),
  obj(
    {
      type: str(),
      source: str(),
      target: str(),
      read_only: bool(undefined, { fromString: true }),
      consistency: str(),
      bind: obj({ propagation: str() }, ext),
      volume: obj({ nocopy: bool(undefined, { fromString: true }) }, ext),
      tmpfs: obj({ size: any() }, ext),
    },
    ext,
  ),
);

const secretOrConfigRef = arr(
  oneOf(str(), obj({ source: str(), target: str(), uid: str(), gid: str(), mode: num() }, ext)),
);

const healthcheck = obj(
  {
    disable: bool(undefined, { fromString: true }),
    interval: str(),
    retries: num(),
    test: oneOf(str(), arr(str())),
    timeout: str(),
    start_period: str(),
  },
  ext,
);

const service = obj(
  {
    deploy: any(),
    build: oneOf(str(), obj({}, { additional: any() })),
    blkio_config: any(),
    cap_add: listOfStrings,
    cap_drop: listOfStrings,
    cgroup_parent: str(),
    command: oneOf(str(), arr(str())),
    configs: secretOrConfigRef,
    container_name: str('Should equal the service name (salkafka-<system>).'),
    cpu_count: int(),
    cpu_percent: int(),
    cpu_shares: strNum,
    cpu_quota: strNum,
    cpu_period: strNum,
    cpu_rt_period: strNum,
    cpu_rt_runtime: strNum,
    cpus: strNum,
    cpuset: str(),
    credential_spec: any(),
    depends_on: oneOf(listOfStrings, mapOf(obj({ condition: { kind: 'string', enum: ['service_started', 'service_healthy', 'service_completed_successfully'] } }))),
    device_cgroup_rules: listOfStrings,
    devices: listOfStrings,
    dns: stringOrList,
    dns_opt: listOfStrings,
    dns_search: stringOrList,
    domainname: str(),
    entrypoint: oneOf(str(), arr(str())),
    env_file: stringOrList,
    environment,
    expose: arr(strNum, undefined, { unique: true }),
    extends: oneOf(str(), obj({ service: str(), file: str() })),
    external_links: listOfStrings,
    extra_hosts: listOrDict,
    group_add: arr(strNum, undefined, { unique: true }),
    healthcheck,
    hostname: str(),
    image: str('Producer image, e.g. ts-dockerhub.lsst.org/salkafka:${CYCLE}.'),
    init: bool(),
    ipc: str(),
    isolation: str(),
    labels,
    links: listOfStrings,
    logging,
    mac_address: str(),
    mem_limit: strNum,
    mem_reservation: oneOf(str(), int()),
    mem_swappiness: int(),
    memswap_limit: strNum,
    network_mode: str(),
    networks: serviceNetworks,
    oom_kill_disable: bool(undefined, { fromString: true }),
    oom_score_adj: int(),
    pid: oneOf(str(), nul),
    pids_limit: strNum,
    platform: str(),
    ports: arr(oneOf(num(), str(), obj({ mode: str(), target: int(), published: int(), protocol: str() }, ext)), undefined, { unique: true }),
    privileged: bool(undefined, { fromString: true }),
    profiles: listOfStrings,
    pull_policy: { kind: 'string', enum: ['always', 'never', 'if_not_present', 'build'] },
    read_only: bool(undefined, { fromString: true }),
    restart: str('no, always, on-failure[:N] or unless-stopped'),
    runtime: str(),
    scale: int(),
    security_opt: listOfStrings,
    shm_size: strNum,
    secrets: secretOrConfigRef,
    sysctls: listOrDict,
    stdin_open: bool(undefined, { fromString: true }),
    stop_grace_period: str(),
    stop_signal: str(),
    storage_opt: obj({}, { additional: any() }),
    tmpfs: stringOrList,
    tty: bool(undefined, { fromString: true }),
    ulimits: mapOf(any()),
    user: str(),
    userns_mode: str(),
    volumes: arr(volumeMount, undefined, { unique: true }),
    volumes_from: listOfStrings,
    working_dir: str(),
  },
  { extensions: true, description: 'A service. Producers are named salkafka-<system>.' },
);

const network = oneOf(
  obj(
    {
      name: str(),
      driver: str(),
      driver_opts: mapOf(strNum),
      ipam: obj(
        {
          driver: str(),
          config: arr(obj({ subnet: str(), ip_range: str(), gateway: str(), aux_addresses: mapOf(str()) }, ext)),
          options: mapOf(str()),
        },
        ext,
      ),
      external: oneOf(bool(undefined, { fromString: true }), obj({ name: str() }, ext)),
      internal: bool(undefined, { fromString: true }),
      attachable: bool(undefined, { fromString: true }),
      labels,
    },
    ext,
  ),
  nul,
);

const volume = oneOf(
  obj(
    {
      name: str(),
      driver: str(),
      driver_opts: mapOf(strNum),
      external: oneOf(bool(undefined, { fromString: true }), obj({ name: str() }, ext)),
      labels,
    },
    ext,
  ),
  nul,
);

const secretOrConfig = oneOf(obj({ name: str(), file: str(), external: oneOf(bool(undefined, { fromString: true }), obj({ name: str() }, ext)), labels, driver: str(), driver_opts: mapOf(strNum), template_driver: str() }, ext), nul);

export const composeFileSpec: Spec = obj(
  {
    version: str('Compose file format: a quoted string such as "3.6" (docker-compose 1.x refuses a number).'),
    services: mapOf(service, 'The producers (salkafka-<system>) and any other service.'),
    networks: mapOf(network),
    volumes: mapOf(volume),
    secrets: mapOf(secretOrConfig),
    configs: mapOf(secretOrConfig),
  },
  { extensions: true, description: 'kafka_writers docker-compose file (SAL Kafka producers feeding the EFD).' },
);

/** Keys Compose v2 knows that docker-compose 1.29.2 refuses, for a clearer message. */
export const COMPOSE_V2_ONLY = new Set([
  'name', 'include', 'models', 'annotations', 'attach', 'cgroup', 'develop', 'gpus', 'label_file', 'post_start', 'pre_stop',
  'provider', 'use_api_socket', 'uts', 'enable_ipv4', 'enable_ipv6', 'start_interval', 'interface_name', 'gw_priority', 'driver_opts', 'mac_address',
]);
