// Messages between the log panes (LogPanel, MergedLogPanel) and their webview script,
// media/logPane.js. Both panes speak exactly this: what the extension posts is typed here, and
// what the webview sends back is checked by parsePaneMessage before anything uses it (a webview
// is a page; its messages are input). No vscode import: tested in plain Node.
import type { WireLine } from './logLineView';

/** A merged pane's line: [timestamp | '', text, class, colour slot, producer tag]. */
export type MergedWireLine = [string, string, string, number, string];

export type PaneLine = WireLine | MergedWireLine;

/** Extension → webview. */
export type ToPane =
  /** The pane's history (it replaces whatever the pane shows); sent in answer to 'ready'. */
  | { type: 'init'; container: string; maxLines: number; timestamps: boolean; lines: PaneLine[] }
  /** New lines; `skipped` lines were dropped before this batch (more than the pane keeps). */
  | { type: 'append'; skipped: number; lines: PaneLine[] }
  /** efdSalkafka.logs.* changed: the pane keeps at most maxLines from now on. */
  | { type: 'settings'; maxLines: number; timestamps: boolean }
  /** The follow state line; `marker` is a line to add where the stream stopped or resumed. */
  | { type: 'status'; text: string; state: string; marker?: string };

/** A line of a Save: [timestamp | '', text] or, from a merged pane, [timestamp | '', text, producer]. */
export type SavedRow = [string, string] | [string, string, string];

/** Webview → extension. */
export type FromPane =
  /** The script is loaded: send 'init'. */
  | { type: 'ready' }
  /** Copy these lines (the ones matching the filter) to the clipboard. */
  | { type: 'copy'; text: string }
  /** Save these rows to a file; `filter` describes the filter in force, for the file's header. */
  | { type: 'save'; rows: SavedRow[]; filter?: string };

/** The message if it is one the panes understand, else undefined. Malformed save rows are dropped. */
export function parsePaneMessage(m: unknown): FromPane | undefined {
  if (!m || typeof m !== 'object') return undefined;
  const msg = m as { type?: unknown; text?: unknown; rows?: unknown; filter?: unknown };
  switch (msg.type) {
    case 'ready':
      return { type: 'ready' };
    case 'copy':
      return typeof msg.text === 'string' ? { type: 'copy', text: msg.text } : undefined;
    case 'save': {
      if (!Array.isArray(msg.rows)) return undefined;
      const rows = msg.rows.filter((r): r is SavedRow => Array.isArray(r) && (r.length === 2 || r.length === 3) && r.every((x) => typeof x === 'string'));
      return { type: 'save', rows, filter: typeof msg.filter === 'string' ? msg.filter : undefined };
    }
    default:
      return undefined;
  }
}

/** What a pane posts through: the webview (typed so that only ToPane messages can be sent). */
export interface PaneWebview {
  postMessage(message: unknown): Thenable<boolean>;
}

export function postToPane(webview: PaneWebview, message: ToPane): void {
  void webview.postMessage(message);
}
