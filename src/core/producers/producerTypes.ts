// The producers the sidebar shows: the union of the compose file's producer services and the
// `salkafka-*` containers Docker knows about.
import type { ProducerFacts } from './producerFacts';

/** Docker container states (`State` of /containers/json). */
export type ContainerStatus = 'running' | 'restarting' | 'exited' | 'created' | 'paused' | 'dead' | 'removing';

/** A producer is either backed by a container, or only defined in the compose file. */
export type ProducerState = ContainerStatus | 'not-created';

export interface ProducerCsc {
  /** Word as written in CSC_LIST, e.g. `MTHexapod:1`. */
  text: string;
  name: string;
  index?: string;
}

export interface Producer {
  /** Service name; for an orphan container, its container name. */
  name: string;
  /** Compose service, when one defines this producer. */
  serviceName?: string;
  /** Actual container name, or the one compose would create. */
  containerName: string;
  state: ProducerState;
  /** A `salkafka-*` container that no service of the compose file defines. */
  orphan: boolean;
  containerId?: string;
  /** Image of the container when it exists, else the interpolated compose image. */
  image?: string;
  imageTag?: string;
  /** Interpolated image of the compose service (may differ from the running container's). */
  composeImage?: string;
  /** Milliseconds since the epoch; only for containers that started at least once. */
  startedAt?: number;
  finishedAt?: number;
  exitCode?: number;
  restartCount?: number;
  /** Docker's own human status, e.g. "Up 3 hours" / "Exited (1) 2 minutes ago". */
  statusText?: string;
  cscs: ProducerCsc[];
  /** Non-CSC words of CSC_LIST, e.g. `--file m1m3.yaml`. */
  cscOptions: string[];
  /** Where `cscs` came from: the compose service, the container's environment (orphans), or nowhere. */
  cscSource: 'compose' | 'container' | 'none';
  /** The compose file that defines the producer (absent for orphans). */
  composeFile?: string;
  /** Its docker-compose project (composeProjectName). */
  composeProject?: string;
  /** False when composeFile is a sibling of the host's main compose file. */
  composeFileMain?: boolean;
  /** Domain, shared memory, image, development labels (producerFacts.ts); absent for orphans. */
  facts?: ProducerFacts;
}

export interface ProducerSnapshot {
  producers: Producer[];
  /** When the compose file could not be read or parsed; producers then come from containers only. */
  composeError?: string;
  /** Epoch ms when the snapshot was taken. */
  takenAt: number;
}

/** The parts of a compose producer service this module needs (see fromComposeModel). */
export interface ProducerService {
  name: string;
  containerName?: string;
  image?: string;
  composeFile?: string;
  composeFileMain?: boolean;
  composeProject?: string;
  facts?: ProducerFacts;
  cscTokens: { text: string; name: string; index?: string; kind: 'csc' | 'option' | 'optionValue' }[];
}

/** Subset of Docker's /containers/json entry. */
export interface ContainerSummary {
  Id: string;
  Names: string[];
  Image: string;
  State: string;
  Status: string;
  Created?: number;
  Labels?: Record<string, string>;
}

/** Subset of Docker's /containers/{id}/json used here. */
export interface ContainerDetails {
  Id: string;
  RestartCount?: number;
  State?: { Status?: string; Running?: boolean; StartedAt?: string; FinishedAt?: string; ExitCode?: number };
  Config?: { Env?: string[]; Image?: string; Tty?: boolean };
}
