// Read-only in-memory documents under the `salkafka-plan:` scheme: the old and new compose file
// of a plan (shown side by side in a diff editor), the plan itself, and reports.
import * as vscode from 'vscode';

export const PLAN_SCHEME = 'salkafka-plan';

export class PlanDocuments implements vscode.TextDocumentContentProvider, vscode.Disposable {
  private readonly docs = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;
  private readonly registration = vscode.workspace.registerTextDocumentContentProvider(PLAN_SCHEME, this);

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.docs.get(uri.toString()) ?? '(this plan document is no longer available)';
  }

  /** Stores text at salkafka-plan:/<id>/<name>; keeps the last 40 documents. */
  put(id: string, name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: PLAN_SCHEME, path: `/${id}/${name}` });
    this.docs.set(uri.toString(), text);
    while (this.docs.size > 40) this.docs.delete(this.docs.keys().next().value as string);
    this.changed.fire(uri);
    return uri;
  }

  /**
   * Current ↔ planned. `path` names the file for plans that touch several (its diff documents get
   * its own name); a created or removed file is diffed against empty text.
   */
  async showDiff(id: string, oldText: string, newText: string, title: string, path?: string): Promise<void> {
    const name = path ? path.replace(/^\/+/, '') : 'docker-compose.yaml';
    const left = this.put(id, `current/${name}`, oldText);
    const right = this.put(id, `planned/${name}`, newText);
    await vscode.commands.executeCommand('vscode.diff', left, right, title, { preview: true });
  }

  /** Opens Markdown as a preview (falls back to the text editor when preview is unavailable). */
  async showMarkdown(id: string, name: string, markdown: string): Promise<void> {
    const uri = this.put(id, name.endsWith('.md') ? name : `${name}.md`, markdown);
    try {
      await vscode.commands.executeCommand('markdown.showPreview', uri);
    } catch {
      await vscode.window.showTextDocument(uri, { preview: true });
    }
  }

  dispose(): void {
    this.registration.dispose();
    this.changed.dispose();
    this.docs.clear();
  }
}
