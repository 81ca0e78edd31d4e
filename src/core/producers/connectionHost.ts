// ProducerHost over the SSH colleague's Host: Docker on the persistent connection,
// compose file and env files read with SFTP.
import * as path from 'node:path';
import { parseEnvFile } from '../compose/envFile';
import type { Host } from '../host/host';
import type { ComposeSource, HostState, ProducerHost } from './producerHost';

export interface ConnectionHostOptions {
  /** efdSalkafka.composeFile */
  composeFile: string;
  /** efdSalkafka.envFiles, relative to the compose file's directory; read after `.env`. */
  envFiles?: readonly string[];
}

export function producerHostFromConnection(conn: Host, options: () => ConnectionHostOptions): ProducerHost {
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
      const dir = path.posix.dirname(composeFile);
      const variables: Record<string, string> = {};
      // Missing env files are normal (most hosts have no setup.env): treat as empty.
      for (const name of ['.env', ...envFiles]) {
        const file = name.startsWith('/') ? name : path.posix.join(dir, name);
        const content = await conn.files.readFile(file).then((r) => r.content.toString('utf8'), () => undefined);
        if (content !== undefined) Object.assign(variables, parseEnvFile(content));
      }
      return { path: composeFile, text, variables };
    },
  };
}
