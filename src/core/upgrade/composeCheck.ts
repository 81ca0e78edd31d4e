// The same pre-check for a kafka_writers compose file: what would break if every producer's
// image were moved to the target (salkafka-lint --against-cycle on a compose file). The
// interactive upgrade (analyse.ts) also finds where each cycle lives and edits it; this only reports.
import type { CatalogueHistory } from '../catalogue/history';
import { resolveImage } from '../catalogue/imageTag';
import type { Variables } from '../compose/model';
import { parseCompose } from '../compose/parseCompose';
import { LineIndex } from '../text/lineIndex';
import { cscChanges } from './cscDelta';
import { resolveTarget } from './target';
import type { UpgradeTarget } from './target';
import type { ValuesCheck, ValuesProducerCheck } from './valuesCheck';

export function checkComposeAgainst(text: string, variables: Variables, targetInput: string | UpgradeTarget, history: CatalogueHistory): ValuesCheck {
  const target = typeof targetInput === 'string' ? resolveTarget(targetInput, history) : targetInput;
  if (!target.ok) return { target, producers: [], breaking: 0, problems: [`Unknown target "${target.input}": ${target.reason}.`] };
  const model = parseCompose(text, { variables });
  if (model.limit) return { target, producers: [], breaking: 0, problems: [model.limit.message] };
  const index = new LineIndex(text);
  const producers: ValuesProducerCheck[] = [];
  for (const svc of model.services) {
    if (!svc.isProducer) continue;
    const before = svc.image ? resolveImage(svc.image.interpolated, history) : undefined;
    const words = (svc.cscList?.tokens ?? []).filter((t) => t.kind === 'csc');
    const changes = cscChanges(words.map((t) => ({ text: t.text, name: t.name, index: t.index })), before?.ok ? before.versionIndex : undefined, target.versionIndex, history);
    const lines: ValuesProducerCheck['lines'] = {};
    const ranges: ValuesProducerCheck['ranges'] = {};
    for (const ch of changes) {
      const tok = words.find((t) => t.text === ch.token);
      if (!tok) continue;
      lines[ch.token] = index.positionAt(tok.range.start).line + 1;
      ranges[ch.token] = tok.range;
    }
    producers.push({ producer: svc.name, tagBefore: before?.ok ? before.tag : before?.tag, xmlBefore: before?.ok ? before.version : undefined, ownTag: false, changes, lines, ranges });
  }
  return { target, producers, breaking: producers.reduce((n, p) => n + p.changes.filter((c) => c.breaking).length, 0), problems: [] };
}
