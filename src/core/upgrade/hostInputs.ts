// Reads what an upgrade is analysed from, on the host: each compose file involved, the env files
// sourced with it (envDiscovery, exactly as the checker and the change pipeline find them) and
// their text, and whether each target image is already in the host's engine (ID and size).
// Reads are bounded and of regular files only (remoteEnvReader); nothing runs on the host.
import type Dockerode from 'dockerode';
import { discoverEnv } from '../compose/envDiscovery';
import { remoteEnvReader } from '../files/remoteEnvReader';
import type { StatAndRead } from '../files/boundedRead';
import { ENV_FILE_MAX_BYTES, readRegularFileRemote } from '../files/boundedRead';
import type { UpgradeComposeInput } from './analyse';

/** Compose files are larger than env files; the checker's own limit applies to both. */
const COMPOSE_MAX_BYTES = 2 * 1024 * 1024;

export interface UpgradeHostInputs {
  composes: UpgradeComposeInput[];
  envTexts: Record<string, string>;
  /** Sibling compose files that could not be read (the first path must be readable). */
  skipped: { path: string; reason: string }[];
}

/**
 * The first of `composePaths` (the main compose file) must be readable; a sibling that is not
 * (missing, not a regular file, over 2 MiB, no `services:` when `needsServicesKey`) is skipped
 * with the reason, as the producers view does.
 */
export async function readUpgradeInputs(
  files: StatAndRead,
  composePaths: readonly string[],
  settingNames: readonly string[] = [],
  needsServicesKey: ReadonlySet<string> = new Set(),
): Promise<UpgradeHostInputs> {
  const reader = remoteEnvReader(files);
  const composes: UpgradeComposeInput[] = [];
  const envTexts: Record<string, string> = {};
  const skipped: UpgradeHostInputs['skipped'] = [];
  for (const [i, path] of composePaths.entries()) {
    let content: Buffer | undefined;
    try {
      content = await readRegularFileRemote(files, path, COMPOSE_MAX_BYTES);
    } catch (err) {
      if (i === 0) throw err;
      skipped.push({ path, reason: (err as Error).message });
      continue;
    }
    if (!content) {
      if (i === 0) throw new Error(`${path} is not on the host`);
      skipped.push({ path, reason: 'not on the host' });
      continue;
    }
    const text = content.toString('utf8');
    if (needsServicesKey.has(path) && !/^services[ \t]*:/m.test(text)) continue;
    const discovery = await discoverEnv(path, text, reader, { settingNames });
    composes.push({ path, text, discovery });
    for (const f of discovery.files) {
      if (envTexts[f.path] !== undefined) continue;
      const t = await readRegularFileRemote(files, f.path, ENV_FILE_MAX_BYTES);
      if (t) envTexts[f.path] = t.toString('utf8');
    }
  }
  return { composes, envTexts, skipped };
}

/** An image in the host's engine, or not there (must be pulled). */
export interface ImagePresence {
  image: string;
  present: boolean;
  id?: string;
  sizeBytes?: number;
}

export async function imagePresence(docker: Pick<Dockerode, 'getImage'>, images: readonly string[]): Promise<ImagePresence[]> {
  const out: ImagePresence[] = [];
  for (const image of [...new Set(images)]) {
    try {
      const info = (await docker.getImage(image).inspect()) as { Id?: string; Size?: number };
      out.push({ image, present: true, id: info.Id, sizeBytes: info.Size });
    } catch (err) {
      if ((err as { statusCode?: number }).statusCode === 404) out.push({ image, present: false });
      else throw err;
    }
  }
  return out;
}

/** "on the host (sha256:42f6195b959e, 2.0 MB)" / "not on the host: pulled first". */
export function describePresence(p: ImagePresence): string {
  if (!p.present) return `${p.image}: not on the host — pulled before anything stops`;
  const id = (p.id ?? '').replace(/^sha256:/, '').slice(0, 12);
  const mb = p.sizeBytes !== undefined ? `, ${(p.sizeBytes / 1e6).toFixed(1)} MB` : '';
  return `${p.image}: already on the host (${id}${mb})`;
}
