// The reader envDiscovery uses over a host's files (SFTP, or the local transport's adapter):
// bounded, regular files only (a FIFO would stall the SFTP session, a device stream for ever); a
// refused or unreadable file counts as missing. It also tells who owns a directory, so the upward
// search for setup.env never climbs into one others may write: the change pipeline SOURCES what
// this finds. Shared by the producers view and the change pipeline so both see the same env.
import type { AsyncEnvReader } from '../compose/envDiscovery';
import type { ExecResult } from '../host/host';
import { ENV_FILE_MAX_BYTES, readRegularFileRemote } from './boundedRead';
import type { StatAndRead } from './boundedRead';

/** @param ownUid the uid commands run as on the host (hostUid); unknown: only root's directories are trusted above the compose file's. */
export function remoteEnvReader(files: StatAndRead, ownUid?: number): AsyncEnvReader {
  return {
    readText: (p) => readRegularFileRemote(files, p, ENV_FILE_MAX_BYTES).then((b) => b?.toString('utf8'), () => undefined),
    exists: (p) => files.stat(p).then((st) => st !== undefined, () => false),
    statDir: (p) => files.stat(p).then((st) => (st?.isDirectory ? { uid: st.uid, mode: st.mode } : undefined), () => undefined),
    ownUid,
  };
}

const uids = new WeakMap<object, Promise<number | undefined>>();

/** The uid our commands run as on the host (`id -u`), asked once per connection object. */
export function hostUid(host: { exec(argv: readonly string[]): Promise<ExecResult> }): Promise<number | undefined> {
  let p = uids.get(host);
  if (!p) {
    p = host.exec(['id', '-u']).then(
      (r) => (r.code === 0 && /^\d+$/.test(r.stdout.trim()) ? Number(r.stdout.trim()) : undefined),
      () => undefined,
    );
    // A failure (connection not up yet) is asked again next time.
    void p.then((uid) => uid === undefined && uids.delete(host));
    uids.set(host, p);
  }
  return p;
}
