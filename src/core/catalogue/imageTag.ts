import type { CatalogueHistory } from './history';

/** What ts_xml a producer image carries, or why that cannot be told. */
export type ImageXml =
  | {
      ok: true;
      /** The ts_xml release, spelt as in the history ("7.1.0"). */
      version: string;
      versionIndex: number;
      /** The tag the version came from ("c0017", "v1.1.0_salobj_v5.4.0_xml_v4.7.0"). */
      tag: string;
      /** How: "cycle c0017" or "tag". */
      via: string;
      /** Set when a bare cycle tag spans several ts_xml releases over its revisions. */
      note?: string;
    }
  | { ok: false; tag?: string; reason: string };

/**
 * Splits an image reference into name and tag: `host:5000/salkafka:c0017` → tag `c0017`.
 * A digest (`@sha256:…`) says nothing about ts_xml, so it gives no tag.
 */
export function imageTagOf(image: string): string | undefined {
  const ref = image.trim().split('@')[0];
  const slash = ref.lastIndexOf('/');
  const colon = ref.lastIndexOf(':');
  return colon > slash ? ref.slice(colon + 1) : undefined;
}

/**
 * The ts_xml inside a salkafka image, from its tag alone. Real tag shapes, from the
 * public deployment history:
 * - cycles: `c0017`, `c0026.000` (cycle + revision), `cycle-0009`, `k0001` → ts_cycle_build's cycle.env;
 * - versioned builds: `v1.1.0_salobj_v5.4.0_xml_v4.7.0`, `v1.1.0_salobj_v5.7.0_xml_4.8.0`,
 *   `v1.0.0_xmlv4.4.0`, `sal3.10_xml3.10` → the number after `xml`;
 * - `v1.1.3_5.15.0_1.2.2_4.1.1_6.0.0` (salkafka_salobj_idl_sal_xml) → the last number.
 * Pure: no I/O; `tag` is the tag after interpolation (Helm `image.tag`, or a compose image's tag).
 */
export function resolveImageTag(tag: string, history: CatalogueHistory): ImageXml {
  const t = tag.trim();
  if (!t) return { ok: false, reason: 'the image has no tag' };
  const cycle = /^(c|k|cycle-)(\d{4})(?:\.(\d+))?$/.exec(t);
  if (cycle) {
    const name = `${cycle[1] === 'k' ? 'k' : 'c'}${cycle[2]}`;
    const found = history.cycleVersion(name, cycle[3]);
    if (!found) {
      const known = history.cycleNames().filter((c) => c[0] === name[0]);
      const where = known.length ? ` (it knows ${known[0]}–${known[known.length - 1]})` : '';
      return { ok: false, tag: t, reason: `cycle ${name} is not in ts_cycle_build's history${where}` };
    }
    return withVersion(t, found.version, `cycle ${name}${cycle[3] !== undefined ? `.${cycle[3]}` : ''}`, history, found.span ? `cycle ${name} shipped ts_xml ${found.span} over its revisions; checked against the last` : undefined);
  }
  const xml = /(?:^|_)xml_?v?(\d+\.\d+(?:\.\d+)?)(?=$|_)/i.exec(t);
  if (xml) return withVersion(t, xml[1], 'tag', history);
  const positional = /^v?\d+(?:\.\d+)+(?:_\d+\.\d+\.\d+){4}$/.exec(t);
  if (positional) return withVersion(t, t.split('_').pop()!, 'tag', history);
  if (t === 'latest') return { ok: false, tag: t, reason: '"latest" can be any ts_xml' };
  return { ok: false, tag: t, reason: `the tag "${t}" names neither a cycle nor a ts_xml version` };
}

/** resolveImageTag for a whole image reference (`ts-dockerhub.lsst.org/salkafka:c0017`). */
export function resolveImage(image: string, history: CatalogueHistory): ImageXml {
  const tag = imageTagOf(image);
  if (tag === undefined) return { ok: false, reason: image.includes('@') ? 'the image is pinned by digest' : 'the image has no tag ("latest" can be any ts_xml)' };
  return resolveImageTag(tag, history);
}

function withVersion(tag: string, version: string, via: string, history: CatalogueHistory, note?: string): ImageXml {
  const i = history.indexOf(version);
  if (i === undefined) return { ok: false, tag, reason: `ts_xml ${version} (from ${via === 'tag' ? `tag ${tag}` : via}) is not a release in the catalogue history (${history.versions[0]}–${history.newest})` };
  return { ok: true, version: history.versions[i], versionIndex: i, tag, via, note };
}
