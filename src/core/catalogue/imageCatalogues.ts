// The catalogue a producer really loads: its image's own SALSubsystems.xml. Read once per
// image ID (an image never changes under its ID) and cached; lookups by image reference are
// synchronous so the checker can use them while it runs.
import { randomBytes } from 'crypto';
import type Dockerode from 'dockerode';
import { firstFileInTar } from '../docker/tarFile';
import type { Catalogue } from './catalogue';
import type { CatalogueHistory } from './history';
import { catalogueFromSalSubsystems, matchingReleases } from './salSubsystemsXml';

export interface ImageCatalogueRead {
  imageId: string;
  catalogue: Catalogue;
  /** Path of SALSubsystems.xml inside the image. */
  path: string;
  /** The ts_xml release: from the package's version.py, else the one release with exactly these names. */
  version?: string;
  /** "ts_xml 7.1.0" (from version.py), "ts_xml 7.1.0 (by its names)", "ts_xml 28.0.0–28.0.1 (by its names)", or "ts_xml of image 1a2b3c4d5e6f". */
  label: string;
}

export type ImageCatalogueResult =
  | ({ ok: true } & ImageCatalogueRead)
  /** `transient`: the read was cut short (connection, timeout), not an answer of the image: asked again. */
  | { ok: false; imageId?: string; error: string; transient?: boolean };

export interface ImageCataloguesOptions {
  /** How long the search inside the image may take (ms). */
  timeoutMs?: number;
  /** Largest SALSubsystems.xml accepted (bytes); today's is about 60 KB. */
  maxBytes?: number;
  /**
   * Who the probe containers belong to: a random id of this extension install (kept in its
   * global state), the value of the probe label. Cleanup removes only containers carrying it,
   * never a probe of a colleague's extension nor any container someone labelled like a probe.
   * Default: a random id of this cache (its leftovers are then cleaned only by itself).
   */
  owner?: string;
  /** A probe of ours older than this (s) is a leftover of a dropped connection (default 180). */
  leftoverAgeS?: number;
}

export const PROBE_LABEL = 'org.lsst.efd-salkafka.catalogue-probe';

/**
 * How the probe container is confined. It runs `find` over an image that may be anyone's: as
 * nobody, with no capability, no privilege gain through set-uid files, no network, a read-only
 * root, and a few processes, a little memory and half a CPU, so even a hostile image's `find`
 * (it is the image's own binary) can neither reach out nor starve the host's producers.
 */
export const PROBE_CONFINEMENT = {
  user: '65534:65534',
  pidsLimit: 32,
  memoryBytes: 128 * 1024 * 1024,
  nanoCpus: 500_000_000,
  /** Bytes of the probe's output read (find prints one path per match). */
  maxLogBytes: 256 * 1024,
} as const;

export class ImageCatalogues {
  private readonly byId = new Map<string, Promise<ImageCatalogueResult>>();
  private readonly settled = new Map<string, ImageCatalogueResult>();
  private readonly idByRef = new Map<string, string>();
  /** Why a reference named no image on the host, the last time it was asked (kept while the reason stays the same). */
  private readonly missing = new Map<string, ImageCatalogueResult>();
  private readonly owner: string;

  constructor(
    private readonly history: CatalogueHistory,
    private readonly options: ImageCataloguesOptions = {},
  ) {
    this.owner = options.owner ?? randomBytes(16).toString('hex');
    if (!/^[A-Za-z0-9_.-]{16,128}$/.test(this.owner)) throw new Error('probe owner id: 16–128 letters, digits, _ . -');
  }

  /** The catalogue read from `image` (a reference or an ID), if one was read successfully. */
  lookup(image: string): { catalogue: Catalogue; label: string; version?: string } | undefined {
    const id = this.idByRef.get(image) ?? image;
    const r = this.settled.get(id);
    return r?.ok ? { catalogue: r.catalogue, label: r.label, version: r.version } : undefined;
  }

  /** The result for `image` when it was read already (success or the reason it failed). */
  result(image: string): ImageCatalogueResult | undefined {
    const id = this.idByRef.get(image);
    return id === undefined ? (this.missing.get(image) ?? this.settled.get(image)) : this.settled.get(id);
  }

  /** Forget a reference's image ID (the tag may now point elsewhere); results by ID stay. */
  forgetReferences(): void {
    this.idByRef.clear();
    this.missing.clear();
  }

  /**
   * Looks again at which image ID each reference names and reads the catalogue of every ID not
   * read yet: a retagged image (`docker pull`, `docker tag`) gets its own catalogue at once, not
   * at the next connection. Returns the references whose image ID or result changed (a first
   * read included).
   * One image inspect per reference; never throws.
   */
  async refresh(docker: Dockerode, refs: Iterable<string>): Promise<string[]> {
    const changed: string[] = [];
    await Promise.all(
      [...new Set(refs)].map(async (ref) => {
        const before = [this.idByRef.get(ref), this.result(ref)];
        await this.read(docker, ref);
        if (this.idByRef.get(ref) !== before[0] || this.result(ref) !== before[1]) changed.push(ref);
      }),
    );
    return changed.sort();
  }

  /** Reads the image's SALSubsystems.xml through Docker, once per image ID. Never throws. */
  async read(docker: Dockerode, image: string): Promise<ImageCatalogueResult> {
    let id: string;
    try {
      id = ((await docker.getImage(image).inspect()) as { Id: string }).Id;
    } catch (err) {
      this.idByRef.delete(image);
      const error = `image ${image} is not on the host (${(err as Error).message})`;
      const last = this.missing.get(image);
      if (last && !last.ok && last.error === error) return last;
      const r: ImageCatalogueResult = { ok: false, error };
      this.missing.set(image, r);
      return r;
    }
    this.missing.delete(image);
    this.idByRef.set(image, id);
    let p = this.byId.get(id);
    if (!p) {
      p = this.readById(docker, id).then((r) => {
        // A read cut short (the connection dropped, Docker refused mid-way) is asked again next
        // time; only what the image itself says is kept for good.
        if (!r.ok && r.transient) this.byId.delete(id);
        else this.settled.set(id, r);
        return r;
      });
      this.byId.set(id, p);
    }
    return p;
  }

  private async readById(docker: Dockerode, id: string): Promise<ImageCatalogueResult> {
    const short = id.replace(/^sha256:/, '').slice(0, 12);
    let container: Dockerode.Container | undefined;
    try {
      await removeLeftoverProbes(docker, this.owner, this.options.leftoverAgeS ?? PROBE_MAX_AGE_S);
      // A throw-away container: no network, no mounts, nothing of the host, confined as
      // PROBE_CONFINEMENT says. `find` is the only process it runs; the file is then read like
      // `docker cp` does, from the stopped container (as root on the Docker side: the user only
      // binds what runs inside).
      const c = PROBE_CONFINEMENT;
      container = await docker.createContainer({
        Image: id,
        Entrypoint: ['find'],
        Cmd: ['/', '-xdev', '-name', 'SALSubsystems.xml', '-type', 'f'],
        User: c.user,
        Tty: true,
        NetworkDisabled: true,
        Labels: { [PROBE_LABEL]: this.owner },
        HostConfig: {
          NetworkMode: 'none',
          AutoRemove: false,
          Privileged: false,
          ReadonlyRootfs: true,
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          PidsLimit: c.pidsLimit,
          Memory: c.memoryBytes,
          MemorySwap: c.memoryBytes,
          NanoCpus: c.nanoCpus,
        },
      });
      await container.start();
      const timeoutMs = this.options.timeoutMs ?? 60_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const done = await Promise.race([container.wait(), timedOut]).finally(() => clearTimeout(timer));
      if (done === 'timeout') return { ok: false, imageId: id, error: `searching image ${short} for SALSubsystems.xml took over ${timeoutMs / 1000} s`, transient: true };
      const out = await boundedLogs(container, PROBE_CONFINEMENT.maxLogBytes);
      const paths = out.split(/\r?\n/).map((l) => l.trim()).filter((l) => l.startsWith('/') && l.endsWith('/SALSubsystems.xml'));
      if (!paths.length) {
        const why = out.trim() ? `: ${out.trim().split(/\r?\n/)[0].slice(0, 200)}` : '';
        return { ok: false, imageId: id, error: `image ${short} has no SALSubsystems.xml${why}` };
      }
      // The installed ts_xml package is what the producer imports; a source checkout may sit beside it.
      const path = paths.find((p) => p.includes('/site-packages/')) ?? paths.sort()[0];
      const text = (await this.readFile(container, path)).toString('utf8');
      const catalogue = catalogueFromSalSubsystems(text, `${path} in image ${short}`);
      const packaged = /\/lsst\/ts\/xml\/data\/sal_interfaces\/SALSubsystems\.xml$/.test(path)
        ? await this.readFile(container, path.replace(/data\/sal_interfaces\/SALSubsystems\.xml$/, 'version.py')).then(
            (b) => /__version__\s*=\s*["']v?([\d.]+)/.exec(b.toString('utf8'))?.[1],
            () => undefined,
          )
        : undefined;
      const known = packaged !== undefined ? this.history.indexOf(packaged) : undefined;
      if (packaged) {
        const version = known !== undefined ? this.history.versions[known] : packaged;
        return { ok: true, imageId: id, catalogue, path, version, label: `ts_xml ${version}` };
      }
      const matches = matchingReleases(catalogue, this.history);
      const label =
        matches.length === 1
          ? `ts_xml ${matches[0]} (by its names)`
          : matches.length > 1
            ? `ts_xml ${matches[0]}–${matches[matches.length - 1]} (by its names)`
            : `ts_xml of image ${short}`;
      return { ok: true, imageId: id, catalogue, path, version: matches.length ? matches[matches.length - 1] : undefined, label };
    } catch (err) {
      return { ok: false, imageId: id, error: `cannot read the catalogue of image ${short}: ${(err as Error).message}`, transient: true };
    } finally {
      // `v`: with its anonymous volumes (an image's VOLUME lines give it some).
      await container?.remove({ force: true, v: true }).catch(() => undefined);
    }
  }

  private async readFile(container: Dockerode.Container, path: string): Promise<Buffer> {
    const max = this.options.maxBytes ?? 8 << 20;
    const stream = (await container.getArchive({ path })) as NodeJS.ReadableStream;
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of stream) {
      size += (chunk as Buffer).length;
      if (size > max + 64 * 1024) {
        (stream as unknown as { destroy?: () => void }).destroy?.();
        throw new Error(`${path} is larger than ${max} bytes`);
      }
      chunks.push(chunk as Buffer);
    }
    const file = firstFileInTar(Buffer.concat(chunks));
    if (!file) throw new Error(`${path} is not a regular file`);
    return file.content;
  }
}

/**
 * The probe's output, at most `max` bytes: a hostile image's `find` could print without end.
 * The container has stopped, so the followed stream ends with its log; Tty makes it raw bytes.
 */
async function boundedLogs(container: Dockerode.Container, max: number): Promise<string> {
  const stream = (await container.logs({ stdout: true, stderr: true, follow: true })) as unknown as NodeJS.ReadableStream;
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const b = Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk));
    chunks.push(b.subarray(0, Math.max(0, max - size)));
    size += b.length;
    if (size >= max) {
      (stream as unknown as { destroy?: () => void }).destroy?.();
      break;
    }
  }
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Probe containers of OURS a dropped connection left behind (their removal never reached the
 * host): removed before a new probe starts, so the host never collects them. Only containers
 * whose probe label carries this install's id and that run our `find`, and only those older than
 * a probe can live. Anyone with Docker access can set a label; nobody can guess the id.
 */
async function removeLeftoverProbes(docker: Dockerode, owner: string, maxAgeS: number): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [`${PROBE_LABEL}=${owner}`] } }).catch(() => []);
  const ours = left.filter((c) => c.Labels?.[PROBE_LABEL] === owner && c.Command.startsWith('find / -xdev -name SALSubsystems.xml'));
  const stale = ours.filter((c) => Date.now() / 1000 - c.Created >= maxAgeS);
  await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true, v: true }).catch(() => undefined)));
}

/** Longer than any probe lives (its search times out at 60 s by default). */
const PROBE_MAX_AGE_S = 180;
