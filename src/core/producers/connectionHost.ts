// ProducerHost over the SSH colleague's HostConnection: Docker on the persistent connection,
// compose file and env files read with SFTP.
import { discoverEnv } from '../compose/envDiscovery';
import type { HostConnection } from '../ssh/hostConnection';
import type { ComposeSource, HostState, ProducerHost } from './producerHost';

export interface ConnectionHostOptions {
  /** efdSalkafka.composeFile */
  composeFile: string;
  /** efdSalkafka.envFiles: looked for in the compose file's directory, then its parents. */
  envFiles?: readonly string[];
}

export function producerHostFromConnection(conn: HostConnection, options: () => ConnectionHostOptions): ProducerHost {
  return {
    get alias() {
      return conn.alias;
    },
    get state() {
      return conn.state as HostState;
    },
    onDidChangeState: (listener) => conn.onDidChangeState((c) => listener({ state: c.state as HostState })),
    docker: () => conn.docker(),
    async readCompose(): Promise<ComposeSource> {
      const { composeFile, envFiles = [] } = options();
      const text = (await conn.files.readFile(composeFile)).content.toString('utf8');
      // The env files operators source (header comment, setup.env, in the file's directory or
      // a parent up to the repository root) over SFTP; missing ones are normal.
      const { variables } = await discoverEnv(composeFile, text, {
        readText: (p) => conn.files.readFile(p).then((r) => r.content.toString('utf8'), () => undefined),
        exists: (p) => conn.files.stat(p).then((st) => st !== undefined, () => false),
      }, { settingNames: envFiles });
      return { path: composeFile, text, variables };
    },
  };
}
