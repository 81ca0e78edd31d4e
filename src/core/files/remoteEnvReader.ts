// The reader envDiscovery uses over a host's files (SFTP): bounded, regular files only (a FIFO
// would stall the SFTP session, a device stream for ever); a refused or unreadable file counts
// as missing. Shared by the producers view and the change pipeline so both see the same env.
import type { AsyncEnvReader } from '../compose/envDiscovery';
import { ENV_FILE_MAX_BYTES, readRegularFileRemote } from './boundedRead';
import type { StatAndRead } from './boundedRead';

export function remoteEnvReader(files: StatAndRead): AsyncEnvReader {
  return {
    readText: (p) => readRegularFileRemote(files, p, ENV_FILE_MAX_BYTES).then((b) => b?.toString('utf8'), () => undefined),
    exists: (p) => files.stat(p).then((st) => st !== undefined, () => false),
  };
}
