// Status bar item for expired development producers: shown only while one is past its expiry
// (org.lsst.efd.salkafka.expires), on any host; click to take one down.
import * as vscode from 'vscode';
import { devSummary, expiredText, type DevSummary } from '../../core/devProducers/watch';
import type { ProducersSessions } from './producersSessions';

export class DevProducersStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('efdSalkafka.devProducers', vscode.StatusBarAlignment.Left, 49);
  private readonly sub: vscode.Disposable;

  constructor(private readonly sessions: ProducersSessions) {
    this.item.name = 'EFD SAL Kafka development producers';
    this.item.command = 'efdSalkafka.takeDownDevProducer';
    this.item.backgroundColor = new vscode.ThemeColor('statusBarItem.warningBackground');
    this.sub = sessions.onDidChange(() => this.update());
    this.update();
  }

  /** What the item says now ('' when hidden), for the views API the tests read. */
  get text(): string {
    return this.shown ? this.item.text : '';
  }

  private shown = false;

  update(): void {
    const now = Date.now();
    const expired: { alias: string; name: string; summary: DevSummary }[] = [];
    for (const s of this.sessions.all()) {
      const st = s.status;
      const snap = st.kind === 'loading' ? undefined : st.snapshot;
      for (const p of snap?.producers ?? []) {
        const summary = devSummary(p, now);
        if (summary?.expired) expired.push({ alias: s.alias, name: p.name, summary });
      }
    }
    const t = expiredText(expired);
    if (!t) {
      this.item.hide();
      this.shown = false;
      return;
    }
    this.item.text = t.text;
    this.item.tooltip = t.tooltip;
    this.item.show();
    this.shown = true;
  }

  dispose(): void {
    this.sub.dispose();
    this.item.dispose();
  }
}
