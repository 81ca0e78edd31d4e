import * as vscode from 'vscode';
import type { Catalogue, CatalogueJson } from '../../core/catalogue/catalogue';

/**
 * Where the catalogue code and the shipped data come from: the checker's bundle (dist/lint.js,
 * loaded at the first analysis), so the ts_xml history is not part of what activation loads.
 */
export interface CatalogueLibrary {
  defaultCatalogue(): Catalogue;
  Catalogue: Pick<typeof Catalogue, 'fromJson'>;
}

/**
 * The catalogue in force: the user's file (setting efdSalkafka.catalogueFile) or the shipped
 * one. A broken user file is reported once and the shipped catalogue is used meanwhile.
 */
export class CatalogueSource implements vscode.Disposable {
  private current: Promise<Catalogue> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscription: vscode.Disposable;

  constructor(private readonly library: () => CatalogueLibrary) {
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
    const { defaultCatalogue, Catalogue } = this.library();
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
