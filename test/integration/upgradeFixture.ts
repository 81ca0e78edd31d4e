// The sibling compose file and env file of the cycle upgrade tests (integration and extension host).
export const A = 'salkafka-upgrade-a';
export const B = 'salkafka-upgrade-b';
export const REPO = '127.0.0.1:5000/salkafka';

function producer(name: string, cscs: string): string {
  return `
  ${name}:
    image: ${REPO}:\${CYCLE_UPGRADE}
    container_name: ${name}
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
      - CSC_LIST=${cscs}
    volumes:
      - ./sim/${name}:/sim:ro
    command: sh -c "run_salkafka_producer.py --broker $$BROKER_IP:$$BROKER_PORT --registry $$REGISTRY_ADDR --partitions $$PARTITIONS --loglevel $$LOG_LEVEL --replication-factor $$REPLICATION --wait-ack $$WAIT_ACK $$CSC_LIST"
`;
}

export const COMPOSE = `# Using this file requires the following environment files
# - setup_kp.env
#
# Cycle upgrade test producers (test/integration/upgradeCycle.test.ts).
version: "3.7"

services:
${producer(A, 'MTAlignment MTDome')}${producer(B, 'ATDome ATMCS')}`;

export const ENV = `# Set the cycle versions for the Kafka producers
export CYCLE_UPGRADE=c0028
`;

/** A sibling of the test host's compose file, and the env file its header names, beside it. */
export const COMPOSE_NAME = 'docker-compose-upgrade.yaml';
export const ENV_NAME = 'setup_kp.env';
