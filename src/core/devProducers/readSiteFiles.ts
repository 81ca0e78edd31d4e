// The compose files a development producer is planned against, read over the host's file API:
// every compose file of the kafka_writers directory (the main one and its siblings, as the
// producers view reads them) and those of the site's other directories (support/ holds the DDS
// daemons). Bounded: regular files of at most LIMITS.inputBytes, at most SITE_DIRS_MAX
// directories; a file that cannot be read or parsed is named, never fatal.
import * as posix from 'node:path/posix';
import { LIMITS } from '../compose/analysisLimits';
import type { Variables } from '../compose/model';
import { parseCompose } from '../compose/parseCompose';
import { SITE_DIRS_MAX } from '../lint/siblings';
import { hasServicesKey, siblingCandidates } from '../producers/composeFiles';
import type { RemoteDirEntry, RemoteFiles } from '../remote/remoteFiles';
import type { ParsedComposeFile } from './provision';

const SITE_COMPOSE = /^docker-compose.*\.ya?ml$/i;

export async function readSiteComposeFiles(files: Pick<RemoteFiles, 'listDir' | 'stat' | 'readFile'>, mainPath: string, mainText: string, variables: Variables): Promise<{ files: ParsedComposeFile[]; skipped: string[] }> {
  const out: ParsedComposeFile[] = [{ path: mainPath, text: mainText, model: parseCompose(mainText, { variables }) }];
  const skipped: string[] = [];
  const dir = posix.dirname(mainPath);
  const list = (d: string) => files.listDir(d).catch((): RemoteDirEntry[] => []);
  const read = async (path: string, needsServicesKey: boolean) => {
    try {
      const st = await files.stat(path);
      if (!st?.isFile || st.size > LIMITS.inputBytes) {
        skipped.push(`${path}: not a regular file of at most ${LIMITS.inputBytes} bytes`);
        return;
      }
      const text = (await files.readFile(path)).content.toString('utf8');
      if (needsServicesKey && !hasServicesKey(text)) return;
      out.push({ path, text, model: parseCompose(text, { variables }) });
    } catch (err) {
      skipped.push(`${path}: ${(err as Error).message}`);
    }
  };
  for (const c of siblingCandidates(mainPath, await list(dir))) await read(c.path, c.needsServicesKey);
  const site = posix.dirname(dir);
  if (site !== dir) {
    const dirs = (await list(site)).filter((e) => e.stat.isDirectory && !e.name.startsWith('.') && posix.join(site, e.name) !== dir).slice(0, SITE_DIRS_MAX);
    for (const d of dirs) {
      for (const e of await list(posix.join(site, d.name))) if (e.stat.isFile && SITE_COMPOSE.test(e.name)) await read(posix.join(site, d.name, e.name), false);
    }
  }
  return { files: out, skipped };
}
