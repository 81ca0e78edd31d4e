import type { ComposeModel, Range } from '../compose/model';

export interface SymbolNode {
  name: string;
  detail: string;
  kind: 'producer' | 'service' | 'csc';
  range: Range;
  selectionRange: Range;
  children: SymbolNode[];
}

/** Outline: services (producers first-class) and the CSCs each producer writes. */
export function documentSymbols(model: ComposeModel): SymbolNode[] {
  return model.services.map((s) => {
    const cscs = (s.cscList?.tokens ?? []).filter((t) => t.kind !== 'option');
    const range = { start: s.nameRange.start, end: Math.max(s.range.end, s.nameRange.end) };
    return {
      name: s.name,
      detail: s.isProducer ? `${cscs.length} CSC${cscs.length === 1 ? '' : 's'}` : s.image?.interpolated ?? '',
      kind: s.isProducer ? 'producer' : 'service',
      range,
      selectionRange: s.nameRange,
      children: cscs.map((t) => ({
        name: t.text,
        detail: t.kind === 'optionValue' ? 'topic-set file' : '',
        kind: 'csc' as const,
        range: t.range,
        selectionRange: t.range,
        children: [],
      })),
    };
  });
}
