// What the palette's tree picker lists (treePicker.ts): pure, so it is unit-tested in plain Node.
import type { TreeContext } from './commandArg';

/** A producer row of the view as the picker needs it. */
export interface PickerRow<N> {
  node: N;
  contextValue: string;
  label: string;
  icon?: string;
  description?: string;
  detail?: string;
}

export type PickerEntry<N> = { heading: string } | PickerRow<N>;

/**
 * Each host that has rows offering the command (by their context value), as a heading followed by
 * those rows, in the view's order; undefined when no row offers it.
 */
export function pickerEntries<N>(hosts: readonly { alias: string; rows: readonly PickerRow<N>[] }[], contexts: readonly TreeContext[]): PickerEntry<N>[] | undefined {
  const out: PickerEntry<N>[] = [];
  for (const host of hosts) {
    const rows = host.rows.filter((r) => (contexts as readonly string[]).includes(r.contextValue));
    if (rows.length) out.push({ heading: host.alias }, ...rows);
  }
  return out.length ? out : undefined;
}
