// ProducerHost over the SSH colleague's Host: Docker on the persistent connection,
// compose file and env files read with SFTP.
import { LIMITS } from '../compose/analysisLimits';
import { discoverEnv } from '../compose/envDiscovery';
import { megabytes, tooLargeMessage } from '../compose/parseCompose';
import { BoundedReadError } from '../files/boundedRead';
import { hostUid, remoteEnvReader } from '../files/remoteEnvReader';
import type { Host } from '../host/host';
import type { ComposeSource, HostState, ProducerHost } from './producerHost';

export interface ConnectionHostOptions {
  /** efdSalkafka.composeFile */
  composeFile: string;
  /** efdSalkafka.envFiles: looked for in the compose file's directory, then its parents. */
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
      // Read and parsed on connect: bounded like every analysis (the error shows in the view).
      let text: string;
      try {
        text = (await conn.files.readFileBounded(composeFile, LIMITS.inputBytes)).content.toString('utf8');
      } catch (err) {
        if (err instanceof BoundedReadError && err.kind === 'too-large') throw new Error(`${composeFile}: ${tooLargeMessage(megabytes(err.size ?? LIMITS.inputBytes + 1))}`);
        if (err instanceof BoundedReadError) throw new Error(`${composeFile} on the host is ${err.message}; it is not read.`);
        throw err;
      }
      // The env files operators source (header comment, setup.env, in the file's directory or
      // a parent up to the repository root) over SFTP. Missing ones are normal; so are refused
      // ones (a FIFO would stall the SFTP session, a device stream for ever).
      const { variables } = await discoverEnv(composeFile, text, remoteEnvReader(conn.files, await hostUid(conn)), { settingNames: envFiles });
      return { path: composeFile, text, variables };
    },
  };
}
