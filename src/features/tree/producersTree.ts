// TreeDataProvider for view efdSalkafka.producers: Hosts → producers → CSCs → topic queues,
// one host row per configured host. Rebuilt from the ProducersSessions on producer changes (Docker events) and, throttled, when log
// lines change a producer's queue health. Nothing here talks to the host.
import * as vscode from 'vscode';
import type { VerifyReport } from '../../core/ops/verify';
import type { ContainerLogFollower } from '../../core/logs/containerLogFollower';
import { UNKNOWN_CSC, type HealthLevel, type HealthSnapshotTopic, type QueueHealthModel } from '../../core/logs/queueHealth';
import { formatDuration, HEALTH_LABEL, producerDescription, producerHealthClass, stateLabel, type ProducerHealthClass } from '../../core/producers/describe';
import type { Producer } from '../../core/producers/producerTypes';
import { beingChangedText } from '../../core/ops/hostLock';
import { mdCode, mdText } from '../../core/text/markdown';
import { hostContext, producerContext, type CscNode, type HostNode, type ProducerNode, type TreeContext } from '../commands/commandArg';
import type { ProducersSession } from './producersSession';
import type { ProducersSessions } from './producersSessions';

export type ProducersTreeNode = HostNode | ProducerNode | CscNode | TopicNode | MessageNode;
export type { CscNode, HostNode, ProducerNode };

/** Rows shown at most under one producer / one CSC: the view stays usable and bounded. */
const MAX_UNLISTED_CSCS = 50;
const MAX_TOPICS_SHOWN = 300;

// Every node below a host carries its alias: commands act on the host of the selected item.
// Host, producer and CSC rows are what commands receive (commands/commandArg.ts).
export interface TopicNode { kind: 'topic'; alias: string; producer: Producer; cscKey: string; topic: HealthSnapshotTopic }
export interface MessageNode { kind: 'message'; text: string; tooltip?: string; icon: string; id: string }

const CLASS_ICON: Record<ProducerHealthClass, [string, string]> = {
  ok: ['pass-filled', 'testing.iconPassed'],
  warning: ['warning', 'list.warningForeground'],
  error: ['error', 'list.errorForeground'],
  off: ['circle-outline', 'disabledForeground'],
};

function levelIcon(level: HealthLevel): vscode.ThemeIcon {
  switch (level) {
    case 'dataLoss': return new vscode.ThemeIcon('error', new vscode.ThemeColor('list.errorForeground'));
    case 'critical': return new vscode.ThemeIcon('flame', new vscode.ThemeColor('list.errorForeground'));
    case 'warning': return new vscode.ThemeIcon('warning', new vscode.ThemeColor('list.warningForeground'));
    case 'ok': return new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed'));
    default: return new vscode.ThemeIcon('circle-outline', new vscode.ThemeColor('disabledForeground'));
  }
}

function time(ms: number): string {
  return new Date(ms).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z');
}

function cscKeyOf(c: { name: string; index?: string }): string {
  return c.index !== undefined ? `${c.name}:${c.index}` : c.name;
}

export class ProducersTreeProvider implements vscode.TreeDataProvider<ProducersTreeNode>, vscode.Disposable {
  private readonly emitter = new vscode.EventEmitter<ProducersTreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly disposables: vscode.Disposable[] = [];
  private healthTimer: NodeJS.Timeout | undefined;
  private readonly healthVersions = new Map<string, number>();
  private readonly hubSubs = new Map<ProducersSession, vscode.Disposable[]>();

  /** The catalogue in force per producer (connected: read from its image); set by activateTree. */
  catalogueOf: (p: Producer) => { text?: string; detail?: string } = () => ({});

  constructor(private readonly sessions: ProducersSessions, private readonly healthThrottleMs = 500) {
    this.disposables.push(
      sessions.onDidChange(() => {
        this.followHubs();
        this.emitter.fire(undefined);
      }),
    );
    this.followHubs();
  }

  /** Log-line subscriptions for the sessions there are now (hosts come and go with settings). */
  private followHubs(): void {
    const live = new Set(this.sessions.all());
    for (const [s, subs] of [...this.hubSubs]) {
      if (!live.has(s)) {
        subs.forEach((d) => d.dispose());
        this.hubSubs.delete(s);
      }
    }
    for (const s of live) {
      if (this.hubSubs.has(s)) continue;
      this.hubSubs.set(s, [s.hub.onDidReceiveLines(() => this.scheduleHealthRefresh()), s.hub.onDidChangeFollowState(() => this.scheduleHealthRefresh())]);
    }
  }

  private session(alias: string): ProducersSession | undefined {
    return this.sessions.get(alias);
  }

  /** Last verification per host and container, shown under its producer until the next one. */
  private readonly verifications = new Map<string, { report: VerifyReport; at: Date }>();

  showVerification(report: VerifyReport, alias = this.sessions.primary.alias): void {
    this.verifications.set(`${alias}/${report.container}`, { report, at: new Date() });
    this.emitter.fire(undefined);
  }

  /** Re-render now (uptime text, or after refresh). */
  refresh(): void {
    this.emitter.fire(undefined);
  }

  // Log lines arrive by the thousand; the tree only re-renders when some producer's health
  // model actually changed, at most every healthThrottleMs.
  private scheduleHealthRefresh(): void {
    if (this.healthTimer) return;
    this.healthTimer = setTimeout(() => {
      this.healthTimer = undefined;
      let changed = false;
      for (const session of this.sessions.all()) {
        for (const [name, f] of session.hub.all()) {
          const key = `${session.alias}/${name}`;
          const v = f.ingest.health.version * 16 + stateCode(f.state);
          if (this.healthVersions.get(key) !== v) {
            this.healthVersions.set(key, v);
            changed = true;
          }
        }
      }
      if (changed) this.emitter.fire(undefined);
    }, this.healthThrottleMs);
  }

  private follower(alias: string, p: Producer): ContainerLogFollower | undefined {
    return p.state === 'not-created' ? undefined : this.session(alias)?.hub.get(p.containerName);
  }

  private health(alias: string, p: Producer): QueueHealthModel | undefined {
    return this.follower(alias, p)?.ingest.health;
  }

  getChildren(node?: ProducersTreeNode): ProducersTreeNode[] {
    if (!node) {
      // Empty while no host was ever connected, so the view's welcome content (Connect) shows;
      // once one is, every configured host has its row (the others say "Not connected").
      const all = this.sessions.all();
      if (all.every((s) => s.hostState === 'disconnected' && s.status.kind === 'disconnected')) return [];
      return all.map((s) => ({ kind: 'host', alias: s.alias }));
    }
    switch (node.kind) {
      case 'host': {
        const session = this.session(node.alias);
        if (!session) return [];
        const status = session.status;
        const alias = node.alias;
        const out: ProducersTreeNode[] = [];
        if (status.kind === 'loading') out.push({ kind: 'message', id: `${alias}/loading`, text: 'Loading producers…', icon: 'loading~spin' });
        if (status.kind === 'disconnected') {
          out.push({
            kind: 'message', id: `${alias}/disc`, icon: 'debug-disconnect',
            text: status.snapshot ? `Not connected (${session.hostState}): last known state` : `Not connected (${session.hostState})`,
          });
        }
        if (status.kind === 'error') out.push({ kind: 'message', id: `${alias}/err`, text: `Cannot list producers: ${status.message}`, icon: 'error' });
        const snap = status.kind === 'loading' ? undefined : status.snapshot;
        if (snap?.composeError) {
          const some = snap.producers.some((p) => p.composeFile !== undefined);
          out.push({ kind: 'message', id: `${alias}/compose`, text: some ? 'A compose file is unreadable: its producers are missing' : 'Compose file unreadable: showing containers only', tooltip: snap.composeError, icon: 'warning' });
        }
        for (const p of snap?.producers ?? []) out.push({ kind: 'producer', alias, producer: p });
        return out;
      }
      case 'producer': {
        const p = node.producer;
        const alias = node.alias;
        const listed = new Set(p.cscs.map(cscKeyOf));
        const out: ProducersTreeNode[] = p.cscs.map((c) => ({ kind: 'csc', alias, producer: p, key: cscKeyOf(c), listed: true }));
        // CSCs seen in the log but not in CSC_LIST (e.g. --file topic sets, unnamed loggers).
        // Bounded: a log can name any number of loggers and topics (see QueueHealthModel.maxTopics).
        let unlisted = 0;
        for (const key of this.health(alias, p)?.cscs.keys() ?? []) {
          if (listed.has(key)) continue;
          if (unlisted++ < MAX_UNLISTED_CSCS) out.push({ kind: 'csc', alias, producer: p, key, listed: false });
        }
        const moreCscs = Math.max(0, unlisted - MAX_UNLISTED_CSCS);
        const droppedTopics = this.health(alias, p)?.droppedTopics ?? 0;
        if (moreCscs || droppedTopics) {
          const parts = [moreCscs ? `${moreCscs} more CSCs not in CSC_LIST` : '', droppedTopics ? `${droppedTopics} more topics` : ''].filter(Boolean);
          out.push({
            kind: 'message',
            id: `${alias}/${p.name}/more`,
            text: `and ${parts.join(', ')}`,
            tooltip: 'Not shown, to keep memory bounded: the log named more queues than the view keeps (least recently reported dropped first; their worst level still counts).',
            icon: 'ellipsis',
          });
        }
        const verified = this.verifications.get(`${alias}/${p.containerName}`);
        if (verified) out.push(verificationNode(`${alias}/${p.name}`, verified.report, verified.at));
        if (p.cscOptions.length > 0) out.push({ kind: 'message', id: `${alias}/${p.name}/opts`, text: p.cscOptions.join(' '), tooltip: 'Options in CSC_LIST', icon: 'symbol-parameter' });
        // The last Python traceback is usually the answer to "why did this producer stop?".
        const blocks = this.follower(alias, p)?.ingest.errorBlocks;
        const last = blocks?.last();
        if (blocks && last) {
          const n = blocks.size + blocks.dropped;
          const tooltip = [`${n} traceback${n === 1 ? '' : 's'} in the log read; the last one${last.timestamp ? ` (${last.timestamp})` : ''}:`, '', ...last.lines].join('\n');
          out.push({ kind: 'message', id: `${alias}/${p.name}/tb`, text: `${n} traceback${n === 1 ? '' : 's'} · ${last.exception || '(cut off)'}`, tooltip, icon: 'bug' });
        }
        return out;
      }
      case 'csc': {
        const csc = this.health(node.alias, node.producer)?.snapshot().cscs.find((c) => c.key === node.key);
        const topics = csc?.topics ?? [];
        const out: ProducersTreeNode[] = topics.slice(0, MAX_TOPICS_SHOWN).map((t) => ({ kind: 'topic', alias: node.alias, producer: node.producer, cscKey: node.key, topic: t }));
        if (topics.length > MAX_TOPICS_SHOWN) {
          out.push({ kind: 'message', id: `${node.alias}/${node.producer.name}/${node.key}/more`, text: `and ${topics.length - MAX_TOPICS_SHOWN} more topics`, icon: 'ellipsis' });
        }
        return out;
      }
      default:
        return [];
    }
  }

  getTreeItem(node: ProducersTreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'host': return this.hostItem(node);
      case 'producer': return this.producerItem(node.alias, node.producer);
      case 'csc': return this.cscItem(node);
      case 'topic': return this.topicItem(node);
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.id = `msg/${node.id}`;
        item.iconPath = new vscode.ThemeIcon(node.icon);
        if (node.tooltip) item.tooltip = node.tooltip;
        return item;
      }
    }
  }

  getParent(node: ProducersTreeNode): ProducersTreeNode | undefined {
    switch (node.kind) {
      case 'producer': return { kind: 'host', alias: node.alias };
      case 'csc': return { kind: 'producer', alias: node.alias, producer: node.producer };
      case 'topic': return { kind: 'csc', alias: node.alias, producer: node.producer, key: node.cscKey, listed: true };
      default: return undefined;
    }
  }

  private hostItem(node: HostNode): vscode.TreeItem {
    const item = new vscode.TreeItem(node.alias, vscode.TreeItemCollapsibleState.Expanded);
    item.id = `host/${node.alias}`;
    const session = this.session(node.alias);
    const state = session?.hostState ?? 'disconnected';
    item.contextValue = hostContext(state === 'connected');
    const status = session?.status;
    const snap = status?.kind === 'ready' ? status.snapshot : undefined;
    const running = snap?.producers.filter((p) => p.state === 'running').length;
    item.description = snap ? `${state} · ${running}/${snap.producers.length} running` : state;
    const lock = session?.lock ?? { state: 'free' as const };
    if (lock.state === 'held') item.description += ` · ${beingChangedText(lock.content)}`;
    if (lock.state === 'stale') item.description += ` · an interrupted change left the host lock (${beingChangedText(lock.content).replace('being changed by ', '')})`;
    if (session?.transport) item.tooltip = `${node.alias}: ${state}, ${session.transport === 'local' ? 'local transport (this machine)' : 'over SSH'}`;
    item.iconPath = new vscode.ThemeIcon('server', state === 'connected' ? undefined : new vscode.ThemeColor('disabledForeground'));
    return item;
  }

  private producerItem(alias: string, p: Producer): vscode.TreeItem {
    const health = this.health(alias, p);
    const level = health?.worstLevel;
    const cls = producerHealthClass(p, level);
    const hasChildren = this.verifications.has(`${alias}/${p.containerName}`) || p.cscs.length > 0 || p.cscOptions.length > 0 || (health?.cscs.size ?? 0) > 0 || (this.follower(alias, p)?.ingest.errorBlocks.size ?? 0) > 0;
    const item = new vscode.TreeItem(p.name, hasChildren ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `producer/${alias}/${p.name}`;
    item.contextValue = producerContext(p);
    const catalogue = this.catalogueOf(p).text;
    item.description = producerDescription(p, Date.now()) + (catalogue ? ` · ${catalogue}` : '');
    // A producer of a sibling compose file (docker-compose-eas.yaml, a development file) says which.
    if (p.composeFile && p.composeFileMain === false) item.description += ` · ${p.composeFile.slice(p.composeFile.lastIndexOf('/') + 1)}`;
    const lock = this.session(alias)?.lock;
    if (lock?.state === 'held' && lock.content.holder?.service === p.name) item.description = `${beingChangedText(lock.content)} · ${item.description}`;
    const [icon, color] = p.orphan ? ['question', CLASS_ICON[cls][1]] : CLASS_ICON[cls];
    item.iconPath = new vscode.ThemeIcon(icon, new vscode.ThemeColor(color));
    item.tooltip = this.producerTooltip(alias, p);
    return item;
  }

  private producerTooltip(alias: string, p: Producer): vscode.MarkdownString {
    const md = new vscode.MarkdownString(undefined, true);
    // Names, statuses, CSC tokens, topics and errors come from the host: escaped (core/text/markdown).
    md.appendMarkdown(`**${mdText(p.name)}** — ${mdText(stateLabel(p))}\n\n`);
    if (p.orphan) md.appendMarkdown('$(question) Container without a service in the compose file.\n\n');
    const rows: [string, string | undefined][] = [
      ['Docker status', p.statusText],
      ['Container', p.containerId ? `${p.containerName} (${p.containerId.slice(0, 12)})` : `${p.containerName} (not created)`],
      ['Image', p.image],
      ['Compose image', p.composeImage && p.composeImage !== p.image ? `${p.composeImage} (differs: not applied yet?)` : undefined],
      ['Started', p.startedAt !== undefined ? `${time(p.startedAt)} (up ${formatDuration(Date.now() - p.startedAt)})` : undefined],
      ['Finished', p.finishedAt !== undefined && p.state !== 'running' ? time(p.finishedAt) : undefined],
      ['Restarts', p.restartCount !== undefined ? String(p.restartCount) : undefined],
      ['CSC_LIST', [...p.cscs.map((c) => c.text), ...p.cscOptions].join(' ') || undefined],
      ['Catalogue', this.catalogueOf(p).detail],
    ];
    for (const [k, v] of rows) if (v) md.appendMarkdown(`${k}: ${mdCode(v)}  \n`);
    const f = this.follower(alias, p);
    if (f) {
      const h = f.ingest.health;
      md.appendMarkdown(`\nQueues: **${HEALTH_LABEL[h.worstLevel]}**`);
      if (h.lifecycle) md.appendMarkdown(` · producer ${h.lifecycle === 'running' ? 'Running' : mdText(h.lifecycle)}`);
      if (h.errorCount || h.tracebackCount) md.appendMarkdown(` · ${h.errorCount} errors, ${h.tracebackCount} tracebacks`);
      md.appendMarkdown(`  \nLog: ${f.state}${f.lastError ? ` (${mdText(f.lastError)})` : ''}, ${f.ingest.totalLines} lines read\n`);
    }
    return md;
  }

  private cscItem(node: CscNode): vscode.TreeItem {
    const csc = this.health(node.alias, node.producer)?.cscs.get(node.key);
    const label = node.key === UNKNOWN_CSC ? 'queues of unnamed loggers' : node.key;
    const item = new vscode.TreeItem(label, csc && csc.topics.size > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None);
    item.id = `csc/${node.alias}/${node.producer.name}/${node.key}`;
    item.contextValue = 'csc' satisfies TreeContext;
    const level: HealthLevel = csc?.worstLevel ?? 'unknown';
    item.iconPath = levelIcon(level);
    const n = csc?.topics.size ?? 0;
    item.description = `${n > 0 ? `${n} queue${n === 1 ? '' : 's'} · ${HEALTH_LABEL[level]}` : HEALTH_LABEL.unknown}${node.listed ? '' : ' · not in CSC_LIST'}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${mdText(label)}** in ${mdText(node.producer.name)}\n\n`);
    md.appendMarkdown(n > 0 ? `Worst queue level reached: **${HEALTH_LABEL[level]}**` : 'No queue warnings in the log read so far (queues below 10 of 100 are never reported).');
    item.tooltip = md;
    return item;
  }

  private topicItem(node: TopicNode): vscode.TreeItem {
    const t = node.topic;
    const item = new vscode.TreeItem(t.queue === 'DDS' ? t.topic : `${t.topic} (python queue)`, vscode.TreeItemCollapsibleState.None);
    item.id = `topic/${node.alias}/${node.producer.name}/${node.cscKey}/${t.topic}/${t.queue}`;
    item.contextValue = 'topic' satisfies TreeContext;
    item.iconPath = levelIcon(t.worstLevel);
    item.description = `${t.latestFill}/${t.capacity}${t.worstLevel !== t.latestLevel || t.worstFill !== t.latestFill ? ` · worst ${t.worstFill}/${t.capacity}` : ''}${t.fullCount ? ` · full ×${t.fullCount}` : ''}`;
    const md = new vscode.MarkdownString();
    md.appendMarkdown(`**${mdText(t.topic)}** ${mdText(t.queue)} read queue — ${mdText(node.cscKey)}\n\n`);
    md.appendMarkdown(`Last reported fill: **${t.latestFill} of ${t.capacity}** (${HEALTH_LABEL[t.latestLevel]}) at ${time(t.lastUpdate)}  \n`);
    md.appendMarkdown(`Worst reached: **${t.worstFill} of ${t.capacity}** (${HEALTH_LABEL[t.worstLevel]})  \n`);
    if (t.fullCount) md.appendMarkdown(`Reported full ${t.fullCount} time${t.fullCount === 1 ? '' : 's'}: data may have been lost.  \n`);
    md.appendMarkdown(`${t.history.length} reports kept.\n\n`);
    md.appendMarkdown('_ts_salobj logs a queue only when it crosses 10, 50 or 90 upward, so a queue that drained is silent: the last reported fill can be stale._');
    item.tooltip = md;
    item.command = { command: 'efdSalkafka.showQueueHealth', title: 'Show Queue Health', arguments: [{ kind: 'producer', alias: node.alias, producer: node.producer }] };
    return item;
  }

  dispose(): void {
    if (this.healthTimer) clearTimeout(this.healthTimer);
    for (const d of this.disposables) d.dispose();
    for (const subs of this.hubSubs.values()) subs.forEach((d) => d.dispose());
    this.emitter.dispose();
  }
}

function stateCode(s: string): number {
  return ['idle', 'starting', 'following', 'stopped', 'missing', 'retrying'].indexOf(s) + 1;
}

/** "Verified: PASS 8/8 checks at 12:03:04" with every check in the tooltip. */
function verificationNode(producer: string, r: VerifyReport, when: Date): MessageNode {
  const passed = r.checks.filter((c) => c.status === 'pass').length;
  const mark = (status: string) => (status === 'pass' ? '✓' : status === 'fail' ? '✗' : '–');
  const at = when.toISOString().slice(11, 19);
  return {
    kind: 'message',
    id: `${producer}/verify`,
    icon: r.ok ? 'pass' : 'error',
    text: r.ok ? `Verified: PASS ${passed}/${r.checks.length} checks (${at} UTC)` : `Verification FAILED: ${r.checks.find((c) => c.status === 'fail')?.name ?? r.summary}`,
    tooltip: [r.summary, '', ...r.checks.map((c) => `${mark(c.status)} ${c.name}: ${c.detail}`)].join('\n'),
  };
}
