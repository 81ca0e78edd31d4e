/**
 * What run_salkafka_producer.py (and DDS) does with each producer environment variable.
 * The compose command is `run_salkafka_producer.py --broker $BROKER_IP:$BROKER_PORT
 * --registry $REGISTRY_ADDR --partitions $PARTITIONS --loglevel $LOG_LEVEL
 * --replication-factor $REPLICATION --wait-ack $WAIT_ACK $CSC_LIST`.
 */
export const PRODUCER_ENV_DOCS: Record<string, { summary: string; example: string; required?: boolean }> = {
  CSC_LIST: {
    summary: 'SAL components whose DDS topics this producer reads and writes to Kafka: names separated by spaces, each optionally `Name:index`, or `--file topics.yaml` (a topic-set file). Appended to the end of the command line.',
    example: 'MTRotator MTHexapod:1 MTM2',
    required: true,
  },
  BROKER_IP: { summary: 'Host of the Kafka bootstrap broker (`--broker HOST:PORT`, host part).', example: 'sasquatch-summit-kafka-bootstrap.lsst.codes', required: true },
  BROKER_PORT: { summary: 'Port of the Kafka bootstrap broker (`--broker HOST:PORT`, port part), 1–65535.', example: '9094', required: true },
  REGISTRY_ADDR: { summary: 'URL of the schema registry where the Avro schema of each topic is registered (`--registry`).', example: 'https://schema-registry-efd.lsst.codes', required: true },
  PARTITIONS: { summary: 'Partitions of each Kafka topic the producer creates (`--partitions`, default 1).', example: '1' },
  REPLICATION: { summary: 'Replication factor of each Kafka topic the producer creates (`--replication-factor`, default 3).', example: '3' },
  LOG_LEVEL: { summary: 'Python logging level of the producer (`--loglevel`): 10 DEBUG, 20 INFO (default), 30 WARNING, 40 ERROR.', example: '20' },
  WAIT_ACK: { summary: 'Acknowledgements each Kafka write waits for (`--wait-ack`): 0 none, 1 the leader (default), all every in-sync replica.', example: '1' },
  LSST_DDS_PARTITION_PREFIX: { summary: 'DDS partition prefix; must match the one the CSCs publish with (e.g. `summit`), or the producer reads nothing.', example: 'summit' },
  LSST_DDS_DOMAIN_ID: { summary: 'DDS domain. 0 (or unset) is the production domain at the summit; development runs on a non-zero domain.', example: '0' },
};

export const WAIT_ACK_VALUES: { value: string; detail: string }[] = [
  { value: '1', detail: 'wait for the leader (default)' },
  { value: 'all', detail: 'wait for every in-sync replica (safest, slowest)' },
  { value: '0', detail: 'do not wait (fastest, may lose data)' },
];

export const LOG_LEVEL_VALUES: { value: string; detail: string }[] = [
  { value: '20', detail: 'INFO (default)' },
  { value: '10', detail: 'DEBUG' },
  { value: '30', detail: 'WARNING' },
  { value: '40', detail: 'ERROR' },
  { value: '50', detail: 'CRITICAL' },
];
