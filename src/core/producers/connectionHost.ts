// ProducerHost over the SSH colleague's Host: Docker on the persistent connection,
// compose file and env files read with SFTP.
import { LIMITS } from '../compose/analysisLimits';
import { discoverEnv } from '../compose/envDiscovery';
import { megabytes, tooLargeMessage } from '../compose/parseCompose';
import { remoteEnvReader } from '../files/remoteEnvReader';
import type { Host } from '../host/host';
import * as posix from 'node:path/posix';
import { configuredComposeFiles, hasServicesKey, siblingCandidates } from './composeFiles';
import type { ComposeFileRead, ComposeSource, HostState, ProducerHost } from './producerHost';

export interface ConnectionHostOptions {
  /** efdSalkafka.composeFile */
  composeFile: string;
  /** efdSalkafka.envFiles: looked for in the compose file's directory, then its parents. */
  envFiles?: readonly string[];
  /** efdSalkafka.composeFiles: the compose files to read; empty = discover the siblings. */
  composeFiles?: readonly string[];
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
    readCompose(): Promise<ComposeSource> {
      const { composeFile, envFiles = [] } = options();
      return readOne(composeFile, envFiles);
    },
    async readComposeFiles(): Promise<ComposeFileRead[]> {
      const { composeFile, envFiles = [], composeFiles } = options();
      const configured = configuredComposeFiles(composeFile, composeFiles);
      let candidates: { path: string; needsServicesKey: boolean }[];
      if (configured) {
        candidates = configured.slice(1).map((path) => ({ path, needsServicesKey: false }));
      } else {
        const entries = await conn.files.listDir(posix.dirname(composeFile)).catch(() => []);
        candidates = siblingCandidates(composeFile, entries);
      }
      const out: ComposeFileRead[] = [];
      const read = async (path: string, main: boolean, needsServicesKey: boolean) => {
        try {
          const source = await readOne(path, envFiles, needsServicesKey);
          if (source) out.push({ path, main, source });
        } catch (err) {
          // A YAML file not named docker-compose* that cannot be read is not taken for a compose file.
          if (!needsServicesKey) out.push({ path, main, error: (err as Error).message });
        }
      };
      await read(composeFile, true, false);
      // One after the other: each is a few SFTP round trips, and the order stays the listing's.
      for (const c of candidates) await read(c.path, false, c.needsServicesKey);
      return out;
    },
  };

  /** One compose file, bounded; `needsServicesKey`: undefined when it is not a compose file. */
  async function readOne(composeFile: string, envFiles: readonly string[]): Promise<ComposeSource>;
  async function readOne(composeFile: string, envFiles: readonly string[], needsServicesKey: boolean): Promise<ComposeSource | undefined>;
  async function readOne(composeFile: string, envFiles: readonly string[], needsServicesKey = false): Promise<ComposeSource | undefined> {
    // Read and parsed on connect: bounded like every analysis (the error shows in the view).
    const st = await conn.files.stat(composeFile);
    if (st && !st.isFile) throw new Error(`${composeFile} on the host is not a regular file; it is not read.`);
    if (st && st.size > LIMITS.inputBytes) throw new Error(`${composeFile}: ${tooLargeMessage(megabytes(st.size))}`);
    const text = (await conn.files.readFile(composeFile)).content.toString('utf8');
    if (needsServicesKey && !hasServicesKey(text)) return undefined;
    // The env files operators source (header comment, setup.env, in the file's directory or
    // a parent up to the repository root) over SFTP. Missing ones are normal; so are refused
    // ones (a FIFO would stall the SFTP session, a device stream for ever).
    const { variables } = await discoverEnv(composeFile, text, remoteEnvReader(conn.files), { settingNames: envFiles });
    return { path: composeFile, text, variables };
  }
}
