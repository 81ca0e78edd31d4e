// One pane for several producers: their logs interleaved by Docker timestamp (LiveMerger holds
// each line briefly so bursts from different containers land in time order), each line tagged
// with its producer in a colour of its own. Same webview as the single pane (media/logPane.js);
// each container is still followed once, by the shared LogHub, across restarts and re-creates.
import * as vscode from 'vscode';
import type { LogHub } from '../../core/logs/logHub';
import { LiveMerger, mergeByTimestamp, type TaggedLine } from '../../core/logs/mergedLog';
import { toWireLine } from './logLineView';
import type { LogSettingsSource } from './logSettings';
import { parsePaneMessage, postToPane, type MergedWireLine } from './paneProtocol';
import { saveLogLines } from './saveLogs';
import { logPaneHtml } from './webviewHtml';

const FLUSH_MS = 150;
const HOLD_MS = 400;

export type { MergedWireLine } from './paneProtocol';

export class MergedLogPanel implements vscode.Disposable {
  static readonly viewType = 'efdSalkafka.mergedLogs';
  private readonly disposables: vscode.Disposable[] = [];
  private readonly merger: LiveMerger;
  private readonly width: number;
  private timer: NodeJS.Timeout | undefined;
  private disposed = false;
  /** Lines posted (tests). */
  posted = 0;
  /** The line limit last sent to the webview (tests). */
  maxLines = 0;
  /** The last lines posted, "producer | text" (extension-host tests read them). */
  private recent: string[] = [];

  constructor(
    readonly containers: readonly string[],
    private readonly hub: LogHub,
    private readonly settings: LogSettingsSource,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onDisposed: () => void,
    private readonly hostAlias: () => string,
  ) {
    this.merger = new LiveMerger(containers, HOLD_MS);
    this.width = Math.max(...containers.map((c) => c.length));
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
    panel.webview.html = logPaneHtml(panel.webview, extensionUri, `Logs: ${containers.join(', ')}`);
    for (const c of containers) {
      this.disposables.push(hub.addViewer(c));
      const f = hub.ensure(c);
      const unsub = f.ingest.subscribe((lines) => {
        this.merger.push(c, lines, Date.now());
        if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
      });
      this.disposables.push({ dispose: unsub }, f.onDidChangeState(() => this.postStatus()));
    }
    this.disposables.push(
      panel.webview.onDidReceiveMessage((raw: unknown) => {
        const m = parsePaneMessage(raw);
        if (m?.type === 'ready') this.sendInitial();
        if (m?.type === 'copy') void vscode.env.clipboard.writeText(m.text);
        if (m?.type === 'save') void saveLogLines(m.rows, containers, this.hostAlias(), m.filter);
      }),
      // The merged pane follows efdSalkafka.logs.* as the single one does.
      settings.onDidChange((s) => {
        this.maxLines = s.paneLines;
        postToPane(panel.webview, { type: 'settings', maxLines: s.paneLines, timestamps: s.timestamps });
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  recentLines(): string[] {
    return [...this.recent];
  }

  private wire(t: TaggedLine): MergedWireLine {
    const [ts, text, cls] = toWireLine(t.line);
    return [ts, text, cls, t.colour, t.producer.padEnd(this.width)];
  }

  private sendInitial(): void {
    const s = this.settings.current;
    // The history already in each follower; lines held in the merger are part of it.
    this.merger.release(Date.now(), true);
    const sources = this.containers.map((c) => ({ producer: c, lines: this.hub.ensure(c).ingest.lines.toArray(s.tail) }));
    const lines = mergeByTimestamp(sources).slice(-s.paneLines).map((t) => this.wire(t));
    this.sent(lines);
    this.maxLines = s.paneLines;
    postToPane(this.panel.webview, { type: 'init', container: this.containers.join(', '), maxLines: s.paneLines, timestamps: s.timestamps, lines });
    this.postStatus();
  }

  private flush(): void {
    this.timer = undefined;
    if (this.disposed) return;
    const out = this.merger.release(Date.now()).map((t) => this.wire(t));
    if (out.length) {
      this.sent(out);
      postToPane(this.panel.webview, { type: 'append', skipped: 0, lines: out });
    }
    if (this.merger.pending > 0) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
    this.postStatus();
  }

  private sent(lines: MergedWireLine[]): void {
    this.posted += lines.length;
    this.recent = this.recent.concat(lines.map((l) => `${l[4].trimEnd()} | ${l[1]}`)).slice(-200);
  }

  private postStatus(): void {
    const parts = this.containers.map((c) => `${c}: ${this.hub.get(c)?.state ?? 'idle'}`);
    postToPane(this.panel.webview, { type: 'status', text: parts.join(' · '), state: 'following' });
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.timer) clearTimeout(this.timer);
    for (const d of this.disposables) d.dispose();
    this.panel.dispose();
    this.onDisposed();
  }
}
