// The cycle (or image tag) producers are upgraded to: a cycle of ts_cycle_build's history, or a
// tag typed by hand, resolved to its ts_xml exactly as the checker resolves any image tag.
import type { CatalogueHistory } from '../catalogue/history';
import { resolveImageTag } from '../catalogue/imageTag';

export type UpgradeTarget =
  | {
      ok: true;
      /** The image tag written into the compose file or env file ("c0029"). */
      tag: string;
      /** ts_xml release inside images of that tag. */
      version: string;
      versionIndex: number;
      /** "cycle c0029 (ts_xml 15.0.0)" or "tag v1.1.0_xml_4.8.0 (ts_xml 4.8.0)". */
      label: string;
      note?: string;
    }
  | { ok: false; input: string; reason: string };

/**
 * "c0029", "29", "cycle 29", "Cycle 37" → cycle c00NN; anything else is an image tag resolved
 * like any other ("k0002", "c0026.000", "v1.1.0_salobj_v5.7.0_xml_4.8.0"). An unknown cycle or a
 * tag that names no ts_xml is refused with the reason: an upgrade must know its release.
 */
export function resolveTarget(input: string, history: CatalogueHistory): UpgradeTarget {
  const raw = input.trim();
  if (!raw) return { ok: false, input, reason: 'no target cycle or tag given' };
  const cycleNumber = /^(?:cycle[\s-]*)?(\d{1,4})$/i.exec(raw);
  const tag = cycleNumber ? `c${cycleNumber[1].padStart(4, '0')}` : raw;
  if (!/^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/.test(tag)) return { ok: false, input, reason: `"${raw}" is not a Docker image tag (letters, digits, _ . - only, at most 128)` };
  const r = resolveImageTag(tag, history);
  if (!r.ok) return { ok: false, input, reason: r.reason };
  const label = /^[ck]\d{4}/.test(tag) ? `cycle ${tag} (ts_xml ${r.version})` : `tag ${tag} (ts_xml ${r.version})`;
  return { ok: true, tag, version: r.version, versionIndex: r.versionIndex, label, note: r.note };
}

/** The cycles of the shipped history for a picker, newest first (c cycles, then k cycles). */
export function cycleChoices(history: CatalogueHistory): { cycle: string; version: string }[] {
  return history
    .cycleNames()
    .sort((a, b) => (a[0] === b[0] ? b.localeCompare(a) : a[0].localeCompare(b[0])))
    .map((cycle) => ({ cycle, version: history.cycleVersion(cycle)?.version ?? '?' }));
}
