import { runRules } from '../lint/cscRules';
import type { Diagnostic } from '../lint/diagnostic';
import { inputLimit } from '../compose/parseCompose';
import { diagnostic, LIMIT_CODE, rulesFor } from '../lint/registry';
import type { LintOptions } from '../lint/ruleContext';
import { LineIndex } from '../text/lineIndex';
import type { Range } from '../compose/model';
import { inSelf, type ValuesModel } from './model';
import { parseValues, type ValuesInput } from './parseValues';

export interface ValuesLintResult {
  values: ValuesModel;
  diagnostics: Diagnostic[];
}

/**
 * Checks a kafka-producers Helm values file with every rule declared for 'values' documents
 * (registry.ts: YAML syntax and the producer rules about what producers read), merged over its
 * base values.yaml when given. Never a compose-* rule: the file is not a compose file. Never
 * throws on any input text.
 */
export function lintValues(input: ValuesInput, options: LintOptions): ValuesLintResult {
  const values = parseValues(input);
  // Bounded like a compose file: over the limits nothing is parsed, and the one finding says why.
  const limit = inputLimit(input.text);
  if (limit) return { values, diagnostics: [diagnostic(LIMIT_CODE, limit.range, limit.message)] };
  const raw = runRules(values.model, options, rulesFor('values'));
  if (values.baseOffset === undefined) return { values, diagnostics: raw.map(wording) };
  // Findings on the base file's own lines are that file's business when it is checked by
  // itself; only those the merge creates (e.g. a name this environment's image lacks) are
  // shown here, on the line of this file that causes them.
  const baseAlone = new Set(
    lintValues({ text: input.base!.text }, options).diagnostics.map((d) => key(d, 0)),
  );
  const baseLines = new LineIndex(input.base!.text);
  const out: Diagnostic[] = [];
  for (const d of raw) {
    if (inSelf(values, d.range)) {
      out.push(wording(trimToSelf(values, d)));
      continue;
    }
    if (baseAlone.has(key(wording(d), values.baseOffset))) continue;
    const line = baseLines.positionAt(d.range.start - values.baseOffset).line + 1;
    const where = `${values.basePath ?? 'values.yaml'} line ${line}`;
    out.push(wording({ ...trimToSelf(values, d), range: anchorInSelf(values, d.range), message: `${where}: ${d.message}` }));
  }
  return { values, diagnostics: out.sort((a, b) => a.range.start - b.range.start || a.range.end - b.range.end) };
}

function key(d: Diagnostic, offset: number): string {
  return `${d.code}\u0000${d.range.start - offset}\u0000${d.message}`;
}

/** Related locations and fixes can only point into the file shown. */
function trimToSelf(values: ValuesModel, d: Diagnostic): Diagnostic {
  const related = d.related?.filter((r) => inSelf(values, r.range));
  const fixes = d.fixes?.filter((f) => f.edits.every((e) => inSelf(values, e.range)));
  return { ...d, related: related?.length ? related : undefined, fixes: fixes?.length ? fixes : undefined };
}

/**
 * Where in the checked file a finding about a base-file line belongs: the producer's key if
 * this file names it, else this file's image.tag (the usual cause: another ts_xml), else
 * the `producers:` key, else the first character.
 */
function anchorInSelf(values: ValuesModel, r: Range): Range {
  const p = values.producers.find((p) => {
    const s = p.service;
    return (s.cscList?.tokens.some((t) => t.range.start <= r.start && r.end <= t.range.end) ?? false) || (s.cscList && s.cscList.entry.range.start <= r.start && r.end <= s.cscList.entry.range.end);
  });
  if (p?.nameRange) return p.nameRange;
  const image = p?.service.image?.range ?? values.producers.find((q) => q.imageOrigin === 'self')?.service.image?.range;
  if (image && inSelf(values, image)) return image;
  if (values.model.servicesRange && inSelf(values, values.model.servicesRange)) return values.model.servicesRange;
  return { start: 0, end: Math.min(1, values.selfLength) };
}

/** The rules speak of CSC_LIST; in a values file the user wrote `cscs`. */
function wording(d: Diagnostic): Diagnostic {
  return { ...d, message: d.message.replace(/\bCSC_LIST\b/g, 'cscs') };
}
