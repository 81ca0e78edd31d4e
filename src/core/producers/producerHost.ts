// What the producers and logs features need from a connection to the Docker host. Kept small
// and independent of the SSH implementation so both can be tested over any Dockerode.
import type Dockerode from 'dockerode';

export type HostState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'failed';

export interface Unsubscribe {
  dispose(): void;
}

export interface ComposeSource {
  /** Path on the host, for messages. */
  path: string;
  text: string;
  /** Interpolation variables (.env beside the file, then configured env files). */
  variables: Record<string, string>;
}

export interface ProducerHost {
  /** Name the user knows the host by (`azar2`). */
  readonly alias: string;
  readonly state: HostState;
  onDidChangeState(listener: (change: { state: HostState }) => void): Unsubscribe;
  /** Dockerode whose requests go to the host; valid while state is `connected`. */
  docker(): Dockerode;
  /** The kafka_writers compose file as it is on the host now. */
  readCompose(): Promise<ComposeSource>;
  /**
   * Every compose file of the kafka_writers directory (the main one first, then its siblings,
   * see composeFiles.ts). A file that cannot be read carries its error; the others still count.
   */
  readComposeFiles?(): Promise<ComposeFileRead[]>;
}

export interface ComposeFileRead {
  path: string;
  /** The host's main compose file (efdSalkafka.composeFile). */
  main: boolean;
  source?: ComposeSource;
  error?: string;
}
