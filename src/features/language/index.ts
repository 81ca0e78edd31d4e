import * as vscode from 'vscode';
import { CatalogueSource } from './catalogueSource';
import { ComposeDocuments, type LintModule } from './composeDocuments';
import { registerDiagnostics } from './diagnosticsFeature';
import { registerEditorFeatures } from './editorFeatures';
import { EnvFiles } from './envFiles';

/** Compose intelligence for kafka_writers files; returns the shared analysis service. */
/** `loadLinter` gives the checker; extension.ts loads it from its own bundle on first use. */
/** `workerScript` (dist/lintWorker.js) lints large documents off the main thread. */
export function activateLanguageFeatures(context: vscode.ExtensionContext, loadLinter: () => LintModule, workerScript?: string): ComposeDocuments {
  const catalogues = new CatalogueSource(loadLinter);
  const envFiles = new EnvFiles();
  const docs = new ComposeDocuments(catalogues, envFiles, loadLinter, workerScript);
  const refresh = new vscode.EventEmitter<void>();
  // A sibling compose file changed on disk: the directory's files are checked against each other.
  const composeWatcher = vscode.workspace.createFileSystemWatcher('**/*compose*.{yaml,yml}');
  context.subscriptions.push(
    docs,
    composeWatcher,
    composeWatcher.onDidCreate(() => refresh.fire()),
    composeWatcher.onDidChange(() => refresh.fire()),
    composeWatcher.onDidDelete(() => refresh.fire()),
    catalogues,
    envFiles,
    refresh,
    catalogues.onDidChange(() => refresh.fire()),
    envFiles.onDidChange(() => refresh.fire()),
    docs.onDidChangeImageCatalogues(() => refresh.fire()),
    // A values-<env>.yaml is checked merged over its values.yaml: re-check when that changes.
    vscode.workspace.onDidSaveTextDocument((d) => /[\\/]kafka-producers[\\/]values\.ya?ml$/.test(d.uri.path) && refresh.fire()),
    registerDiagnostics(docs, refresh.event),
  );
  // Providers are registered for a glob; a new glob means registering them again.
  let editorFeatures = registerEditorFeatures(docs);
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (!e.affectsConfiguration('efdSalkafka.composeGlob')) return;
      editorFeatures.dispose();
      editorFeatures = registerEditorFeatures(docs);
    }),
    { dispose: () => editorFeatures.dispose() },
  );
  return docs;
}
