// One webview panel per producer container showing its live log. Lines come from the shared
// LogHub follower (already deduplicated across reconnects); the panel batches them and posts
// at most every FLUSH_MS, so thousands of lines per second cost one message per tick.
import * as vscode from 'vscode';
import type { ContainerLogFollower } from '../../core/logs/containerLogFollower';
import { GapMarkers } from '../../core/logs/gapMarkers';
import type { ParsedLine } from '../../core/logs/logTypes';
import type { LogHub } from '../../core/logs/logHub';
import { logSettings } from '../tree/producersSession';
import { toWireLine, type WireLine } from './logLineView';
import { saveLogLines } from './saveLogs';
import { logPaneHtml } from './webviewHtml';

const FLUSH_MS = 75;
/** Lines of the last posts kept for recentLines() (extension-host tests read them). */
const RECENT_KEPT = 200;

export class LogPanel implements vscode.Disposable {
  private pending: ParsedLine[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly disposables: vscode.Disposable[] = [];
  private readonly follower: ContainerLogFollower;
  private disposed = false;
  /** Read once and on configuration change: enqueue runs for every received chunk. */
  private settings = logSettings();
  /** Lines posted to the webview; tests and the status line use it. */
  posted = 0;
  /** The last RECENT_KEPT lines posted, as sent. */
  private recent: WireLine[] = [];

  static readonly viewType = 'efdSalkafka.logs';

  constructor(
    readonly containerName: string,
    hub: LogHub,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onDisposed: () => void,
    /** The host alias, for the header of a saved log. */
    private readonly hostAlias: () => string = () => '',
  ) {
    const viewer = hub.addViewer(containerName);
    this.follower = hub.ensure(containerName);
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
    panel.webview.html = logPaneHtml(panel.webview, extensionUri, `Logs: ${containerName}`);

    const unsubscribe = this.follower.ingest.subscribe((lines) => this.enqueue(lines));
    this.disposables.push(
      { dispose: unsubscribe },
      viewer,
      this.follower.onDidChangeState(() => this.postStatus(true)),
      panel.webview.onDidReceiveMessage((m: { type: string; text?: string; rows?: unknown; filter?: unknown }) => {
        if (m.type === 'ready') this.sendInitial();
        if (m.type === 'save' && Array.isArray(m.rows)) {
          const rows = m.rows.filter((r): r is [string, string] => Array.isArray(r) && typeof r[0] === 'string' && typeof r[1] === 'string');
          void saveLogLines(rows, [containerName], this.hostAlias(), typeof m.filter === 'string' ? m.filter : undefined);
        }
        if (m.type === 'copy' && typeof m.text === 'string') {
          void vscode.env.clipboard.writeText(m.text);
          void vscode.window.setStatusBarMessage(`Copied ${m.text.split('\n').length} log lines`, 3000);
        }
      }),
      vscode.workspace.onDidChangeConfiguration((e) => {
        if (e.affectsConfiguration('efdSalkafka.logs')) {
          this.settings = logSettings();
          void panel.webview.postMessage({ type: 'settings', maxLines: this.settings.paneLines, timestamps: this.settings.timestamps });
        }
      }),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  private sendInitial(): void {
    const s = this.settings;
    this.pending = [];
    const lines = this.follower.ingest.lines.toArray(s.tail).map(toWireLine);
    this.sent(lines);
    void this.panel.webview.postMessage({ type: 'init', container: this.containerName, maxLines: s.paneLines, timestamps: s.timestamps, lines });
    this.postStatus(false);
  }

  private enqueue(lines: readonly ParsedLine[]): void {
    for (const l of lines) this.pending.push(l);
    // Never hold more than the pane could show.
    const max = this.settings.paneLines;
    if (this.pending.length > 2 * max) this.pending = this.pending.slice(-max);
    if (!this.timer) this.timer = setTimeout(() => this.flush(), FLUSH_MS);
  }

  private flush(): void {
    this.timer = undefined;
    if (this.disposed || this.pending.length === 0) return;
    const max = this.settings.paneLines;
    const batch = this.pending.length > max ? this.pending.slice(-max) : this.pending;
    const skipped = this.pending.length - batch.length;
    this.pending = [];
    const wire = batch.map(toWireLine);
    this.sent(wire);
    void this.panel.webview.postMessage({ type: 'append', skipped, lines: wire });
    this.postStatus(false);
  }

  private sent(lines: WireLine[]): void {
    this.posted += lines.length;
    this.recent = lines.length >= RECENT_KEPT ? lines.slice(-RECENT_KEPT) : this.recent.concat(lines).slice(-RECENT_KEPT);
  }

  /** Text of the last lines posted to the webview (at most 200), "timestamp text" as the pane shows them. */
  recentLines(): string[] {
    return this.recent.map(([ts, text]) => (ts ? `${ts} ${text}` : text));
  }

  private readonly gaps = new GapMarkers();

  private postStatus(stateChanged: boolean): void {
    // Lines received before the state change must be shown before its marker.
    if (stateChanged && this.pending.length > 0) {
      if (this.timer) clearTimeout(this.timer);
      this.flush();
    }
    const f = this.follower;
    const state = f.state;
    const text = `${state}${f.lastError && state !== 'following' ? ` — ${f.lastError}` : ''} · ${f.ingest.totalLines} lines read${f.ingest.duplicateLines ? `, ${f.ingest.duplicateLines} duplicates dropped on resume` : ''}`;
    // A visible marker where the stream was interrupted and where it resumed (not where a run
    // ended: the next run's start marker is among the lines).
    const marker = stateChanged ? this.gaps.next({ state, interruption: f.interruption, lastTimestamp: f.ingest.cursor.lastTimestamp }) : undefined;
    void this.panel.webview.postMessage({ type: 'status', text, state, marker });
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
