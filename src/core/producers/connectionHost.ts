// ProducerHost over the SSH colleague's HostConnection: Docker on the persistent connection,
// compose file and env files read with SFTP.
import * as path from 'node:path';
import { LIMITS } from '../compose/analysisLimits';
import { parseEnvFile } from '../compose/envFile';
import { megabytes, tooLargeMessage } from '../compose/parseCompose';
import { ENV_FILE_MAX_BYTES, readRegularFileRemote } from '../files/boundedRead';
import type { HostConnection } from '../ssh/hostConnection';
import type { ComposeSource, HostState, ProducerHost } from './producerHost';

export interface ConnectionHostOptions {
  /** efdSalkafka.composeFile */
  composeFile: string;
  /** efdSalkafka.envFiles, relative to the compose file's directory; read after `.env`. */
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
      // Read and parsed on connect: bounded like every analysis (the error shows in the view).
      const st = await conn.files.stat(composeFile);
      if (st && !st.isFile) throw new Error(`${composeFile} on the host is not a regular file; it is not read.`);
      if (st && st.size > LIMITS.inputBytes) throw new Error(`${composeFile}: ${tooLargeMessage(megabytes(st.size))}`);
      const text = (await conn.files.readFile(composeFile)).content.toString('utf8');
      const dir = path.posix.dirname(composeFile);
      const variables: Record<string, string> = {};
      // Missing env files are normal (most hosts have no setup.env): treat as empty. So are
      // refused ones (a FIFO would stall the SFTP session, a device stream for ever).
      for (const name of ['.env', ...envFiles]) {
        const file = name.startsWith('/') ? name : path.posix.join(dir, name);
        const content = await readRegularFileRemote(conn.files, file, ENV_FILE_MAX_BYTES).then((b) => b?.toString('utf8'), () => undefined);
        if (content !== undefined) Object.assign(variables, parseEnvFile(content));
      }
      return { path: composeFile, text, variables };
    },
  };
}
