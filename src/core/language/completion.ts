import { describeIndexRule, type Catalogue } from '../catalogue/catalogue';
import { producerRelease } from '../catalogue/producerRelease';
import type { LanguageOptions } from './hover';
import type { ComposeModel, Range, ServiceModel } from '../compose/model';
import { cursorContext } from './cursorContext';
import { LOG_LEVEL_VALUES, PRODUCER_ENV_DOCS, WAIT_ACK_VALUES } from './producerEnvDocs';
import { historyOf } from '../catalogue/history';

export type CompletionKind = 'csc' | 'envKey' | 'value';

export interface CompletionItem {
  label: string;
  kind: CompletionKind;
  detail?: string;
  /** Markdown. */
  documentation?: string;
  insertText: string;
  /** Text replaced by the completion. */
  range: Range;
  sortText: string;
}

/** Completion at `offset`: CSC names in CSC_LIST, producer env keys, WAIT_ACK / LOG_LEVEL values. */
export function complete(model: ComposeModel, offset: number, catalogue: Catalogue, options: LanguageOptions = {}): CompletionItem[] {
  const ctx = cursorContext(model.text, offset);
  const range = ctx.kind === 'none' ? { start: offset, end: offset } : { start: ctx.wordStart, end: ctx.wordEnd };
  const service = serviceAt(model, offset);
  switch (ctx.kind) {
    case 'cscList':
      return cscCompletions(model, service, catalogue, range, options);
    case 'envKey': {
      const present = new Set(service?.environment.map((e) => e.key) ?? []);
      return Object.entries(PRODUCER_ENV_DOCS)
        .filter(([key]) => !present.has(key))
        .map(([key, doc], i) => ({
          label: key,
          kind: 'envKey' as const,
          detail: doc.required ? 'required by run_salkafka_producer.py' : 'run_salkafka_producer.py',
          documentation: `${doc.summary}\n\nExample: \`${key}=${doc.example}\``,
          insertText: ctx.form === 'list' ? `${key}=` : `${key}: `,
          range,
          sortText: `${doc.required ? 0 : 1}${String(i).padStart(2, '0')}`,
        }));
    }
    case 'envValue': {
      const values = ctx.key === 'WAIT_ACK' ? WAIT_ACK_VALUES : ctx.key === 'LOG_LEVEL' ? LOG_LEVEL_VALUES : [];
      return values.map((v, i) => ({ label: v.value, kind: 'value' as const, detail: v.detail, insertText: v.value, range, sortText: String(i) }));
    }
    default:
      return [];
  }
}

export function cscCompletions(model: ComposeModel, service: ServiceModel | undefined, shipped: Catalogue, range: Range, options: LanguageOptions): CompletionItem[] {
  // The names of the release inside this producer's image (today's when it cannot be told).
  const history = historyOf(shipped);
  const release = service && history ? producerRelease(model, service, history, shipped, options.imageCatalogue) : undefined;
  const catalogue = release?.scope.catalogue ?? shipped;
  const checked = release?.scope.checked;
  const here = new Set(service?.cscList?.tokens.filter((t) => t.kind === 'csc' && !(t.range.start <= range.start && t.range.end >= range.end)).map((t) => t.name) ?? []);
  const elsewhere = new Map<string, string[]>();
  for (const s of model.services) {
    if (s === service) continue;
    for (const t of s.cscList?.tokens ?? []) {
      if (t.kind === 'csc') elsewhere.set(t.name, [...(elsewhere.get(t.name) ?? []), `${s.name}${t.index !== undefined ? ` (:${t.index})` : ''}`]);
    }
  }
  const items: CompletionItem[] = [];
  for (const c of catalogue.components) {
    if (here.has(c.name) && c.index.kind === 'none') continue;
    const others = elsewhere.get(c.name);
    const indexText = describeIndexRule(c.index);
    items.push({
      label: c.name,
      kind: 'csc',
      detail: others ? `already in ${others.join(', ')}` : indexText,
      documentation: [
        c.description,
        `*${indexText}*`,
        checked ? `In ${checked}.` : '',
        others ? `**Already written by ${others.join(', ')}**: adding it here sends its data to the EFD twice.` : '',
      ]
        .filter(Boolean)
        .join('\n\n'),
      insertText: c.name,
      range,
      // Components no other producer writes come first.
      sortText: `${others ? 1 : 0}${c.name}`,
    });
  }
  return items;
}

export function serviceAt(model: ComposeModel, offset: number): ServiceModel | undefined {
  let best: ServiceModel | undefined;
  for (const s of model.services) {
    if (s.nameRange.start <= offset && (!best || s.nameRange.start > best.nameRange.start)) best = s;
  }
  return best;
}
