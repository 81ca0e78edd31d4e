import type { Catalogue } from './catalogue';
import type { CatalogueHistory } from './history';
import { resolveImage, resolveImageTag } from './imageTag';
import type { ComposeModel, ServiceModel, VariableRef } from '../compose/model';

/**
 * What a producer's CSC names are checked against: the catalogue of the ts_xml inside
 * ITS image (a producer can read nothing else), or, when that cannot be told, every release.
 */
export interface NameScope {
  catalogue: Catalogue;
  /** Known: "ts_xml 7.1.0 (image salkafka:c0017)"; undefined when the version is unknown. */
  checked?: string;
  versionIndex?: number;
  /** Set when the catalogue was read from the image on the host. */
  fromImage?: boolean;
  note?: string;
}

/** A catalogue read from an image on the connected host (its own SALSubsystems.xml). */
export interface ImageCatalogue {
  catalogue: Catalogue;
  /** "ts_xml 7.1.0" when the file says, else the image ID. */
  label: string;
  /** The release, when known. */
  version?: string;
}

/** Looks up the catalogue read from an image, by the image reference after interpolation. */
export type ImageCatalogueLookup = (image: string) => ImageCatalogue | undefined;

/**
 * The release a producer's names are checked against: the catalogue read from its image on
 * the host, else the release its image tag names, else (unknown, with the reason) every release.
 */
export function producerRelease(
  model: ComposeModel,
  service: ServiceModel,
  history: CatalogueHistory,
  newest: Catalogue,
  imageCatalogue?: ImageCatalogueLookup,
): { scope: NameScope; unknown?: string } {
  const image = service.image;
  if (!image) return { scope: { catalogue: newest }, unknown: 'the service has no image: key' };
  const label = shortImage(image.interpolated || image.value);
  const fromHost = image.interpolated ? imageCatalogue?.(image.interpolated) : undefined;
  if (fromHost) {
    const versionIndex = fromHost.version !== undefined ? history.indexOf(fromHost.version) : undefined;
    return { scope: { catalogue: fromHost.catalogue, checked: `${fromHost.label} (read from image ${label})`, fromImage: true, versionIndex } };
  }
  const unset = unsetWithin(model, image.range.start, image.range.end);
  if (unset.length) {
    const names = [...new Set(unset)];
    return { scope: { catalogue: newest }, unknown: `${names.join(', ')} ${names.length > 1 ? 'are' : 'is'} unset` };
  }
  const r = resolveImage(image.interpolated, history);
  if (!r.ok) return { scope: { catalogue: newest }, unknown: r.reason };
  return { scope: { catalogue: history.catalogueAt(r.versionIndex), checked: `ts_xml ${r.version} (image ${label})`, versionIndex: r.versionIndex, note: r.note } };
}

/** Unset variables of the file, by position (once per model): a lookup per producer stays cheap. */
const unsetByModel = new WeakMap<ComposeModel, VariableRef[]>();

function unsetWithin(model: ComposeModel, start: number, end: number): string[] {
  let refs = unsetByModel.get(model);
  if (!refs) unsetByModel.set(model, (refs = model.variables.filter((v) => v.unset).sort((a, b) => a.range.start - b.range.start)));
  let lo = 0;
  let hi = refs.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (refs[mid].range.start < start) lo = mid + 1;
    else hi = mid;
  }
  const out: string[] = [];
  for (let i = lo; i < refs.length && refs[i].range.start < end; i++) if (refs[i].range.end <= end) out.push(refs[i].name);
  return out;
}

/**
 * The same for a bare image tag, e.g. a Helm values file's `image.tag` (`c0034`); `label`
 * names the image in messages (default `salkafka:<tag>`). Undefined or empty tag: unknown.
 */
export function releaseForImageTag(
  tag: string | undefined,
  history: CatalogueHistory,
  newest: Catalogue,
  label = `salkafka:${tag ?? ''}`,
): { scope: NameScope; unknown?: string } {
  if (!tag) return { scope: { catalogue: newest }, unknown: 'no image tag' };
  const r = resolveImageTag(tag, history);
  if (!r.ok) return { scope: { catalogue: newest }, unknown: r.reason };
  return { scope: { catalogue: history.catalogueAt(r.versionIndex), checked: `ts_xml ${r.version} (image ${label})`, versionIndex: r.versionIndex, note: r.note } };
}

/** "ts-dockerhub.lsst.org/salkafka:c0015" → "salkafka:c0015". */
export function shortImage(image: string): string {
  const slash = image.lastIndexOf('/');
  return slash >= 0 ? image.slice(slash + 1) : image;
}
