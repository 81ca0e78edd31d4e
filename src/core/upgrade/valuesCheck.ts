// "Check against cycle N" for an Argo CD kafka-producers values file: what would break if the
// chart-wide `image.tag` were changed to the target, before the GitOps change is made. Every
// real CSC mistake in argocd-csc's history came with such a tag change (AdamSensors kept on
// c0026, MTAlignment on c0029, Authorize on c0037). Pure.
import type { CatalogueHistory } from '../catalogue/history';
import { imageTagOf, resolveImageTag } from '../catalogue/imageTag';
import { parseValues } from '../values/parseValues';
import type { ValuesInput } from '../values/parseValues';
import { LineIndex } from '../text/lineIndex';
import { cscChanges } from './cscDelta';
import type { CscChange } from './cscDelta';
import { resolveTarget } from './target';
import type { UpgradeTarget } from './target';

export interface ValuesProducerCheck {
  producer: string;
  tagBefore?: string;
  xmlBefore?: string;
  /** The producer sets its own image.tag: changing the chart-wide tag does not move it. */
  ownTag: boolean;
  changes: CscChange[];
  /** 1-based line of each change's word: positive in the checked file, negative in the base values.yaml. */
  lines: Record<string, number | undefined>;
  /** Offsets of each change's word in the checked file (absent when the word is in the base file). */
  ranges: Record<string, { start: number; end: number } | undefined>;
}

export interface ValuesCheck {
  target: UpgradeTarget;
  producers: ValuesProducerCheck[];
  /** Changes that stop a producer from starting on the target (names it lacks, indices it refuses). */
  breaking: number;
  problems: string[];
}

export function checkValuesAgainst(input: ValuesInput, targetInput: string | UpgradeTarget, history: CatalogueHistory): ValuesCheck {
  const target = typeof targetInput === 'string' ? resolveTarget(targetInput, history) : targetInput;
  if (!target.ok) return { target, producers: [], breaking: 0, problems: [`Unknown target "${target.input}": ${target.reason}.`] };
  const values = parseValues(input);
  const selfLines = new LineIndex(input.text);
  const baseLines = input.base ? new LineIndex(input.base.text) : undefined;
  const producers: ValuesProducerCheck[] = [];
  for (const p of values.producers) {
    const svc = p.service;
    const tag = svc.image ? imageTagOf(svc.image.interpolated) : undefined;
    const before = tag ? resolveImageTag(tag, history) : undefined;
    const words = (svc.cscList?.tokens ?? []).filter((t) => t.kind === 'csc');
    const ownTag = p.ownImageTag === true;
    const changes = ownTag ? [] : cscChanges(words.map((t) => ({ text: t.text, name: t.name, index: t.index })), before?.ok ? before.versionIndex : undefined, target.versionIndex, history);
    const lines: Record<string, number | undefined> = {};
    const ranges: Record<string, { start: number; end: number } | undefined> = {};
    for (const ch of changes) {
      const tok = words.find((t) => t.text === ch.token);
      if (!tok) continue;
      if (tok.range.end <= values.selfLength) {
        lines[ch.token] = selfLines.positionAt(tok.range.start).line + 1;
        ranges[ch.token] = tok.range;
      } else if (baseLines && values.baseOffset !== undefined) lines[ch.token] = -(baseLines.positionAt(tok.range.start - values.baseOffset).line + 1);
    }
    producers.push({ producer: p.name, tagBefore: tag, xmlBefore: before?.ok ? before.version : undefined, ownTag, changes, lines, ranges });
  }
  return { target, producers, breaking: producers.reduce((n, p) => n + p.changes.filter((c) => c.breaking).length, 0), problems: [] };
}

/**
 * The report as text, one finding per line with its file and line:
 * `values-summit.yaml:46: eas: AdamSensors is not in ts_xml 12.0.0 (last in 11.1.1); remove it.`
 * A negative line in `lines` is a line of the base values.yaml.
 */
export function valuesCheckText(check: ValuesCheck, file: string, baseFile = 'values.yaml'): string[] {
  if (!check.target.ok) return check.problems;
  const out: string[] = [];
  const tags = [...new Set(check.producers.filter((p) => !p.ownTag).map((p) => `${p.tagBefore ?? '?'}${p.xmlBefore ? ` (ts_xml ${p.xmlBefore})` : ''}`))];
  out.push(`${file}: image.tag ${tags.join(', ') || '(none)'} → ${check.target.label}`);
  for (const p of check.producers) {
    if (p.ownTag) {
      out.push(`  ${p.producer}: keeps its own image.tag ${p.tagBefore ?? ''}; not moved`);
      continue;
    }
    for (const ch of p.changes) {
      const line = p.lines[ch.token];
      const where = line === undefined ? file : line < 0 ? `${baseFile}:${-line}` : `${file}:${line}`;
      out.push(`${where}: ${ch.breaking ? 'error' : 'info'}: ${p.producer}: ${ch.detail}`);
    }
  }
  out.push(check.breaking ? `${check.breaking} change${check.breaking === 1 ? '' : 's'} needed before image.tag can be ${check.target.tag}.` : `Nothing breaks: every producer's CSCs are in ts_xml ${check.target.version}.`);
  return out;
}
