import type { EnvEntry, ServiceModel } from './model';

/**
 * Where a producer's data comes from and goes to. Two producers write the same data only
 * when they read the same DDS traffic (domain ID and partition) and write to the same
 * Kafka broker, i.e. the same EFD; on different domains, partitions or brokers the "same"
 * CSC is different data (a test stand and the summit, AuxTel's domain and MainTel's).
 */
export interface DataPath {
  /** LSST_DDS_DOMAIN_ID; unset or empty is domain 0, as in OpenSplice. */
  domain: string;
  /** LSST_DDS_PARTITION_PREFIX, or LSST_DDS_DOMAIN (its name before ts_salobj 6). */
  partition: string;
  /** BROKER_IP:BROKER_PORT, as run_salkafka_producer.py gets --broker. */
  broker: string;
}

export function dataPath(service: ServiceModel): DataPath {
  const domain = valueOf(service.env.get('LSST_DDS_DOMAIN_ID')).trim();
  const partitionEntry = service.env.get('LSST_DDS_PARTITION_PREFIX') ?? service.env.get('LSST_DDS_DOMAIN');
  return {
    domain: domain === '' ? '0' : /^\d+$/.test(domain) ? String(Number(domain)) : domain,
    partition: valueOf(partitionEntry).trim(),
    broker: `${valueOf(service.env.get('BROKER_IP')).trim().toLowerCase()}:${valueOf(service.env.get('BROKER_PORT')).trim()}`,
  };
}

/** One string per data path: equal keys, same EFD and same DDS traffic. */
export function dataPathKey(service: ServiceModel): string {
  const p = dataPath(service);
  return `${p.domain}\u0000${p.partition}\u0000${p.broker}`;
}

export function describeDataPath(p: DataPath): string {
  return `DDS domain ${p.domain}${p.partition ? `, partition ${p.partition}` : ''}, ${describeBroker(p.broker)}`;
}

/** "broker kafka:9092"; never an empty field ("broker :") when BROKER_IP or BROKER_PORT is unset. */
function describeBroker(broker: string): string {
  const colon = broker.lastIndexOf(':');
  const ip = broker.slice(0, colon);
  const port = broker.slice(colon + 1);
  if (ip && port) return `broker ${broker}`;
  if (ip) return `broker ${ip} (BROKER_PORT not set)`;
  if (port) return `broker port ${port} (BROKER_IP not set)`;
  return 'broker not set';
}

/**
 * The value as docker-compose sees it; while it depends on an unset variable, the text as
 * written, so `${DOMAINID_AUXTEL}` and `${DOMAINID_COMCAM}` still count as different.
 */
function valueOf(entry: EnvEntry | undefined): string {
  if (!entry?.value) return '';
  return entry.value.variables.some((v) => v.unset) ? entry.value.raw : entry.value.value;
}
