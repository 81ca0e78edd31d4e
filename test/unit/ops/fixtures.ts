// Shared fixtures for the ops unit tests: a compose file in the summit's style with comments,
// list- and map-form environments, quoted values, a --file producer and a ${VAR} CSC_LIST.
import type { ComposeFlavor } from '../../../src/core/docker/composeRunner';
import type { PlanContext } from '../../../src/core/ops/plan';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';

export const COMPOSE_PATH = '/deploy-lsst/docker-compose-ops/kafka_writers/docker-compose.yaml';

export const COMPOSE = `# kafka_writers on azar2 — keep one CSC per line of thought
version: "3.7"

services:
  salkafka-m2:   # main telescope M2 and friends
    image: ts-dockerhub.lsst.org/salkafka:\${CYCLE}
    container_name: salkafka-m2
    environment:
      - LSST_DDS_PARTITION_PREFIX=\${LSST_DDS_PARTITION_PREFIX}
      - LSST_DDS_DOMAIN_ID=\${LSST_DDS_DOMAIN_ID}
      - CSC_LIST=MTRotator MTHexapod MTM2   # trailing comment stays
    restart: unless-stopped

  salkafka-at:
    image: ts-dockerhub.lsst.org/salkafka:\${CYCLE}
    container_name: salkafka-at
    environment:
      LSST_DDS_DOMAIN_ID: "0"
      CSC_LIST: "ATDome ATAOS ATMCS"
  salkafka-eas:
    container_name: salkafka-eas
    environment:
      LSST_DDS_DOMAIN_ID: 12
      CSC_LIST: 'ESS:1 ESS:2'
  salkafka-m1m3:
    container_name: salkafka-m1m3
    environment:
      - CSC_LIST=--file m1m3.yaml
  salkafka-var:
    container_name: salkafka-var
    environment:
      - CSC_LIST=\${VAR_LIST}
  nginx:
    image: nginx
`;

export const VARIABLES = { CYCLE: 'c0039.000', LSST_DDS_PARTITION_PREFIX: 'summit', LSST_DDS_DOMAIN_ID: '12', VAR_LIST: 'MTMount' };

export const V1: ComposeFlavor = { kind: 'v1', version: '1.29.2', command: ['docker-compose'] };
export const V2: ComposeFlavor = { kind: 'v2', version: '2.27.0', command: ['docker', 'compose'] };

export function ctx(over: Partial<PlanContext> = {}): PlanContext {
  return {
    host: { alias: 'azar2-test', hostName: '127.0.0.1' },
    composePath: COMPOSE_PATH,
    composeContent: Buffer.from(COMPOSE, 'utf8'),
    variables: VARIABLES,
    flavor: V1,
    production: { hosts: ['azar2', 'azar2.cp.lsst.org'], partitions: [] },
    containers: {
      'salkafka-m2': { state: 'running', id: 'aaa', name: 'salkafka-m2' },
      'salkafka-at': { state: 'running', id: 'bbb', name: 'salkafka-at' },
      'salkafka-eas': { state: 'exited', id: 'ccc', name: 'salkafka-eas' },
    },
    catalogue: defaultCatalogue(),
    now: new Date('2026-11-24T23:40:34.123Z'),
    ...over,
  };
}

/** Hostile names: shell metacharacters, substitutions, newlines, quotes, option look-alikes. */
export const HOSTILE = [
  'x; touch /tmp/pwned',
  '$(id)',
  '`id`',
  'MTM2\ntouch /tmp/pwned',
  "MTM2'",
  'MTM2"',
  '--rmi',
  '',
  ' MTM2',
  'MTM2 MTDome',
  'a|b',
  '../etc',
];
