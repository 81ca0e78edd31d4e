// The catalogue a producer really loads: its image's own SALSubsystems.xml. Read once per
// image ID (an image never changes under its ID) and cached; lookups by image reference are
// synchronous so the checker can use them while it runs.
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
}

const PROBE_LABEL = 'org.lsst.efd-salkafka.catalogue-probe';

export class ImageCatalogues {
  private readonly byId = new Map<string, Promise<ImageCatalogueResult>>();
  private readonly settled = new Map<string, ImageCatalogueResult>();
  private readonly idByRef = new Map<string, string>();

  constructor(
    private readonly history: CatalogueHistory,
    private readonly options: ImageCataloguesOptions = {},
  ) {}

  /** The catalogue read from `image` (a reference or an ID), if one was read successfully. */
  lookup(image: string): { catalogue: Catalogue; label: string; version?: string } | undefined {
    const id = this.idByRef.get(image) ?? image;
    const r = this.settled.get(id);
    return r?.ok ? { catalogue: r.catalogue, label: r.label, version: r.version } : undefined;
  }

  /** The result for `image` when it was read already (success or the reason it failed). */
  result(image: string): ImageCatalogueResult | undefined {
    const id = this.idByRef.get(image) ?? image;
    return this.settled.get(id);
  }

  /** Forget a reference's image ID (the tag may now point elsewhere); results by ID stay. */
  forgetReferences(): void {
    this.idByRef.clear();
  }

  /** Reads the image's SALSubsystems.xml through Docker, once per image ID. Never throws. */
  async read(docker: Dockerode, image: string): Promise<ImageCatalogueResult> {
    let id: string;
    try {
      id = ((await docker.getImage(image).inspect()) as { Id: string }).Id;
    } catch (err) {
      return { ok: false, error: `image ${image} is not on the host (${(err as Error).message})` };
    }
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
      await removeLeftoverProbes(docker);
      // A throw-away container: no network, no mounts, nothing of the host. `find` is the only
      // process it runs; the file is then read like `docker cp` does, from the stopped container.
      container = await docker.createContainer({
        Image: id,
        Entrypoint: ['find'],
        Cmd: ['/', '-xdev', '-name', 'SALSubsystems.xml', '-type', 'f'],
        Tty: true,
        NetworkDisabled: true,
        Labels: { [PROBE_LABEL]: '1' },
        HostConfig: { NetworkMode: 'none', AutoRemove: false, Privileged: false, ReadonlyRootfs: true },
      });
      await container.start();
      const timeoutMs = this.options.timeoutMs ?? 60_000;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
      const done = await Promise.race([container.wait(), timedOut]).finally(() => clearTimeout(timer));
      if (done === 'timeout') return { ok: false, imageId: id, error: `searching image ${short} for SALSubsystems.xml took over ${timeoutMs / 1000} s`, transient: true };
      const out = ((await container.logs({ stdout: true, stderr: true, follow: false })) as unknown as Buffer).toString('utf8');
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
      await container?.remove({ force: true }).catch(() => undefined);
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
 * Probe containers a dropped connection left behind (their removal never reached the host):
 * removed before a new probe starts, so the host never collects them. Only those older than a
 * probe can live (another operator's extension may be reading an image right now).
 */
async function removeLeftoverProbes(docker: Dockerode): Promise<void> {
  const left = await docker.listContainers({ all: true, filters: { label: [`${PROBE_LABEL}=1`] } }).catch(() => []);
  const stale = left.filter((c) => Date.now() / 1000 - c.Created > PROBE_MAX_AGE_S);
  await Promise.all(stale.map((c) => docker.getContainer(c.Id).remove({ force: true }).catch(() => undefined)));
}

/** Longer than any probe lives (its search times out at 60 s by default). */
const PROBE_MAX_AGE_S = 180;
