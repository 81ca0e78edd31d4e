// Webview with the fill of every reported queue of one producer over time (inline SVG drawn by
// media/queueHealth.js). Posts a fresh snapshot at most once a second, only when it changed.
import * as vscode from 'vscode';
import type { ContainerLogFollower } from '../../core/logs/containerLogFollower';
import type { LogHub } from '../../core/logs/logHub';
import { queueHealthHtml } from './webviewHtml';

const UPDATE_MS = 1000;

export class QueueHealthPanel implements vscode.Disposable {
  static readonly viewType = 'efdSalkafka.queueHealth';
  private readonly disposables: vscode.Disposable[] = [];
  private readonly follower: ContainerLogFollower;
  private timer: NodeJS.Timeout | undefined;
  private sentVersion = -1;
  private ready = false;
  private disposed = false;

  constructor(
    readonly containerName: string,
    hub: LogHub,
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly onDisposed: () => void,
  ) {
    this.follower = hub.ensure(containerName);
    panel.webview.options = { enableScripts: true, localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')] };
    panel.webview.html = queueHealthHtml(panel.webview, extensionUri, `Queues: ${containerName}`);
    this.disposables.push(
      hub.onDidReceiveLines((e) => {
        if (e.containerName === containerName) this.schedule();
      }),
      panel.webview.onDidReceiveMessage((m: { type: string }) => {
        if (m.type === 'ready') {
          this.ready = true;
          this.sentVersion = -1;
          this.send();
        }
      }),
      panel.onDidChangeViewState(() => this.schedule()),
      panel.onDidDispose(() => this.dispose()),
    );
  }

  reveal(): void {
    this.panel.reveal();
  }

  private schedule(): void {
    if (this.timer || this.disposed) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.send();
    }, UPDATE_MS);
  }

  private send(): void {
    const h = this.follower.ingest.health;
    if (!this.ready || !this.panel.visible || h.version === this.sentVersion) return;
    this.sentVersion = h.version;
    void this.panel.webview.postMessage({ type: 'health', container: this.containerName, now: Date.now(), health: h.snapshot() });
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
