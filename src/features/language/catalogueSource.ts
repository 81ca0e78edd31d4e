import * as vscode from 'vscode';
import { Catalogue, CatalogueJson } from '../../core/catalogue/catalogue';
import { defaultCatalogue } from '../../core/catalogue/defaultCatalogue';

/**
 * The catalogue in force: the user's file (setting efdSalkafka.catalogueFile) or the shipped
 * one. A broken user file is reported once and the shipped catalogue is used meanwhile.
 */
export class CatalogueSource implements vscode.Disposable {
  private current: Promise<Catalogue> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor() {
    this.subscription = vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('efdSalkafka.catalogueFile')) {
        this.current = undefined;
        this.changed.fire();
      }
    });
  }

  get(): Promise<Catalogue> {
    this.current ??= this.load();
    return this.current;
  }

  private async load(): Promise<Catalogue> {
    const path = vscode.workspace.getConfiguration('efdSalkafka').get<string>('catalogueFile', '').trim();
    if (!path) return defaultCatalogue();
    try {
      const uri = resolvePath(path);
      const bytes = await vscode.workspace.fs.readFile(uri);
      return Catalogue.fromJson(JSON.parse(new TextDecoder().decode(bytes)) as CatalogueJson, uri.fsPath);
    } catch (err) {
      void vscode.window.showWarningMessage(`EFD SAL Kafka: cannot use the catalogue ${path} (${(err as Error).message}); using the shipped catalogue.`);
      return defaultCatalogue();
    }
  }

  dispose(): void {
    this.subscription.dispose();
    this.changed.dispose();
  }
}

function resolvePath(path: string): vscode.Uri {
  const expanded = path.replace(/^~(?=\/|$)/, process.env.HOME ?? '~');
  if (expanded.startsWith('/')) return vscode.Uri.file(expanded);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? vscode.Uri.joinPath(folder.uri, expanded) : vscode.Uri.file(expanded);
}
