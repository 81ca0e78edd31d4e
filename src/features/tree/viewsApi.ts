// Read-only views of what a user sees of the remote half: the connection state the status bar
// shows, the rows of the producers view, the lines a log pane was sent. Part of the value
// activate() returns (ExtensionApi.views), for the extension-host tests (test/vscode/remote*),
// which cannot read another extension's status bar, tree or webview. Production code never
// calls it, and nothing here changes state.
import * as vscode from 'vscode';
import type { Producer } from '../../core/producers/producerTypes';
import type { ConnectionState } from '../../core/host/host';
import { statusBarText, type ConnectionManager } from '../connection';
import { paneKey, type LogsFeature } from '../logs';
import type { ProducersTreeProvider } from './producersTree';

export interface ConnectionView {
  alias: string;
  /** What the status bar item says after "<alias>: ". */
  state: ConnectionState;
  /** ssh or local, once the host was created (first connect). */
  transport?: 'ssh' | 'local';
  /** The Docker verdict taken after connecting (undefined until then). */
  docker?: { ok: boolean; message?: string };
}

export interface ProducerRow {
  /** Tree item label (the service name, or the container name of an orphan). */
  label: string;
  description: string;
  /** producer.running or producer (drives the context menus). */
  contextValue: string;
  /** Codicon id of the item (question for an orphan). */
  icon: string;
  state: Producer['state'];
  orphan: boolean;
  cscs: string[];
  /** The row with the last verification under the producer ("Verified: PASS 8/8 checks …"), if any. */
  verification?: string;
}

export interface ProducersViewRows {
  /** The host row, absent while disconnected (the view then shows its Connect welcome). */
  host?: { label: string; description: string };
  producers: ProducerRow[];
  /** Message rows under the host ("Loading producers…", errors). */
  messages: string[];
}

export interface LogPaneView {
  container: string;
  /** Lines posted to the webview so far (the first batch only after the webview said it is ready). */
  posted: number;
  /** The last lines posted (at most 200), "timestamp text". */
  recentLines: string[];
  /** The line limit last sent to the webview (efdSalkafka.logs.maxLines; 0 before the first). */
  maxLines: number;
}

export interface ViewsApi {
  /** The connection of alias (default: the first configured host). */
  connection(alias?: string): ConnectionView;
  /** The status bar item's text (`$(plug) azar2: connected`, or `… EFD: 2/3 connected` for several hosts). */
  statusBar(): string;
  /** The host rows of the view, in order (empty while it shows its welcome). */
  hosts(): { label: string; description: string }[];
  /** A host node's children as the producers view renders them (getChildren + getTreeItem). */
  producersView(alias?: string): ProducersViewRows;
  /** The open log pane of a container on alias (default: the first host), if any. */
  logPane(container: string, alias?: string): LogPaneView | undefined;
  /** The merged pane of these containers (in the order given to the command); lines "producer | text". */
  mergedPane(containers: readonly string[]): LogPaneView | undefined;
}

const text = (v: string | vscode.TreeItemLabel | boolean | undefined): string => (typeof v === 'object' ? v.label : typeof v === 'string' ? v : '');

export function createViewsApi(manager: ConnectionManager, tree: ProducersTreeProvider, logs: LogsFeature): ViewsApi {
  return {
    connection(alias = manager.defaultAlias) {
      const access = manager.dockerAccess(alias);
      return {
        alias,
        state: manager.get(alias)?.state ?? 'disconnected',
        transport: manager.get(alias)?.transport,
        docker: access && (access.ok ? { ok: true } : { ok: false, message: access.message }),
      };
    },
    statusBar() {
      return statusBarText(manager);
    },
    hosts() {
      return tree.getChildren().map((n) => {
        const item = tree.getTreeItem(n);
        return { label: text(item.label), description: text(item.description) };
      });
    },
    producersView(alias = manager.defaultAlias) {
      const out: ProducersViewRows = { producers: [], messages: [] };
      const host = tree.getChildren().find((n) => n.kind === 'host' && n.alias === alias);
      if (!host) return out;
      const hostItem = tree.getTreeItem(host);
      out.host = { label: text(hostItem.label), description: text(hostItem.description) };
      for (const node of tree.getChildren(host)) {
        const item = tree.getTreeItem(node);
        if (node.kind === 'producer') {
          const p = node.producer;
          const verifyRow = tree.getChildren(node).find((c) => c.kind === 'message' && c.id === `${alias}/${p.name}/verify`);
          out.producers.push({
            label: text(item.label),
            description: text(item.description),
            contextValue: item.contextValue ?? '',
            icon: item.iconPath instanceof vscode.ThemeIcon ? item.iconPath.id : '',
            state: p.state,
            orphan: p.orphan,
            cscs: p.cscs.map((c) => c.text),
            verification: verifyRow && text(tree.getTreeItem(verifyRow).label),
          });
        } else {
          out.messages.push(text(item.label));
        }
      }
      return out;
    },
    logPane(container, alias = manager.defaultAlias) {
      const pane = logs.logPanels.get(paneKey(alias, container));
      return pane && { container, posted: pane.posted, recentLines: pane.recentLines(), maxLines: pane.maxLines };
    },
    mergedPane(containers) {
      const pane = logs.mergedPanels.get(containers.join('+'));
      return pane && { container: containers.join('+'), posted: pane.posted, recentLines: pane.recentLines(), maxLines: pane.maxLines };
    },
  };
}
