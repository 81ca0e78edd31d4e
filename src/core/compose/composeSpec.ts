import { any, arr, bool, mapOf, nul, obj, oneOf, scalar, Spec, str } from './specTypes';

// Structure of a compose file as the compose specification defines it, at the depth that
// matters for kafka_writers files. Rarely used service keys are accepted as `any`.

const stringOrList = oneOf(str(), arr(str()));
const listOrDict = oneOf(arr(scalar()), mapOf(oneOf(scalar(), nul)));

const environment: Spec = oneOf(
  arr(str(), 'List form, as in the summit file: - CSC_LIST=MTRotator MTHexapod MTM2'),
  mapOf(oneOf(scalar(), nul), 'Map form: CSC_LIST: MTRotator MTHexapod MTM2'),
);
environment.description = 'Environment of the container. For a producer: CSC_LIST, BROKER_IP, BROKER_PORT, REGISTRY_ADDR, PARTITIONS, REPLICATION, LOG_LEVEL, WAIT_ACK, LSST_DDS_PARTITION_PREFIX, LSST_DDS_DOMAIN_ID.';

const serviceNetworks = oneOf(
  arr(str()),
  mapOf(
    oneOf(
      nul,
      obj(
        {
          aliases: arr(str()),
          ipv4_address: str('Static IPv4 address; must be unique on the network.'),
          ipv6_address: str(),
          link_local_ips: arr(str()),
          mac_address: str(),
          priority: scalar(),
          gw_priority: scalar(),
          driver_opts: mapOf(scalar()),
          interface_name: str(),
        },
        { extensions: true },
      ),
    ),
  ),
);

const logging = obj(
  { driver: str('Logging driver; the summit uses json-file.'), options: mapOf(oneOf(scalar(), nul), 'Driver options, e.g. max-size and max-file.') },
  { extensions: true },
);

const volumeMount = oneOf(
  str(),
  obj(
    {
      type: str(),
      source: str(),
      target: str(),
      read_only: bool(),
      consistency: str(),
      bind: any(),
      volume: any(),
      tmpfs: any(),
      image: any(),
    },
    { extensions: true },
  ),
);

const service = obj(
  {
    image: str('Producer image, e.g. ts-dockerhub.lsst.org/salkafka:${CYCLE}.'),
    container_name: str('Should equal the service name (salkafka-<system>).'),
    command: stringOrList,
    entrypoint: stringOrList,
    environment,
    env_file: oneOf(str(), arr(oneOf(str(), obj({ path: str(), required: bool(), format: str() })))),
    networks: serviceNetworks,
    network_mode: str(),
    logging,
    restart: str('no, always, on-failure[:N] or unless-stopped'),
    volumes: arr(volumeMount),
    working_dir: str(),
    user: str(),
    hostname: str(),
    domainname: str(),
    labels: listOrDict,
    extra_hosts: listOrDict,
    depends_on: oneOf(arr(str()), mapOf(any())),
    healthcheck: obj(
      { test: stringOrList, interval: str(), timeout: str(), retries: scalar(), start_period: str(), start_interval: str(), disable: bool() },
      { extensions: true },
    ),
    ports: arr(oneOf(scalar(), obj({}, { additional: any() }))),
    expose: arr(scalar()),
    dns: stringOrList,
    dns_search: stringOrList,
    dns_opt: arr(str()),
    stdin_open: bool(),
    tty: bool(),
    init: bool(),
    privileged: bool(),
    read_only: bool(),
    profiles: arr(str()),
    pull_policy: str(),
    platform: str(),
    stop_signal: str(),
    stop_grace_period: str(),
    ulimits: mapOf(any()),
    sysctls: listOrDict,
    cap_add: arr(str()),
    cap_drop: arr(str()),
    security_opt: arr(str()),
    ipc: str(),
    pid: oneOf(str(), nul),
    shm_size: scalar(),
    mem_limit: scalar(),
    mem_reservation: scalar(),
    memswap_limit: scalar(),
    mem_swappiness: scalar(),
    cpus: scalar(),
    cpu_shares: scalar(),
    cpuset: str(),
    deploy: any(),
    build: any(),
    annotations: any(),
    attach: bool(),
    blkio_config: any(),
    cgroup: str(),
    cgroup_parent: str(),
    configs: any(),
    secrets: any(),
    cpu_count: scalar(),
    cpu_percent: scalar(),
    cpu_period: scalar(),
    cpu_quota: scalar(),
    cpu_rt_period: scalar(),
    cpu_rt_runtime: scalar(),
    credential_spec: any(),
    develop: any(),
    device_cgroup_rules: arr(str()),
    devices: any(),
    extends: any(),
    external_links: arr(str()),
    gpus: any(),
    group_add: arr(scalar()),
    isolation: str(),
    label_file: stringOrList,
    links: arr(str()),
    mac_address: str(),
    models: any(),
    oom_kill_disable: bool(),
    oom_score_adj: scalar(),
    pids_limit: scalar(),
    post_start: any(),
    pre_stop: any(),
    provider: any(),
    runtime: str(),
    scale: scalar(),
    storage_opt: any(),
    tmpfs: stringOrList,
    use_api_socket: bool(),
    userns_mode: str(),
    uts: str(),
    volumes_from: arr(str()),
  },
  { extensions: true, description: 'A service. Producers are named salkafka-<system>.' },
);

const network = oneOf(
  nul,
  obj(
    {
      name: str(),
      driver: str(),
      driver_opts: mapOf(scalar()),
      ipam: obj(
        {
          driver: str(),
          config: arr(obj({ subnet: str(), ip_range: str(), gateway: str(), aux_addresses: mapOf(str()) }, { extensions: true })),
          options: mapOf(scalar()),
        },
        { extensions: true },
      ),
      external: oneOf(bool(), obj({ name: str() }, { extensions: true })),
      internal: bool(),
      attachable: bool(),
      enable_ipv4: bool(),
      enable_ipv6: bool(),
      labels: listOrDict,
    },
    { extensions: true },
  ),
);

export const composeFileSpec: Spec = obj(
  {
    version: scalar('Obsolete in Compose v2 but accepted.'),
    name: str(),
    services: mapOf(service, 'The producers (salkafka-<system>) and any other service.'),
    networks: mapOf(network),
    volumes: mapOf(oneOf(nul, obj({}, { additional: any() }))),
    configs: mapOf(any()),
    secrets: mapOf(any()),
    include: any(),
    models: any(),
  },
  { extensions: true, description: 'kafka_writers docker-compose file (SAL Kafka producers feeding the EFD).' },
);
