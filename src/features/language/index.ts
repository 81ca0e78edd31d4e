import * as vscode from 'vscode';
import { CatalogueSource } from './catalogueSource';
import { ComposeDocuments, type LintModule } from './composeDocuments';
import { registerDiagnostics } from './diagnosticsFeature';
import { registerEditorFeatures } from './editorFeatures';
import { EnvFiles } from './envFiles';

/** Compose intelligence for kafka_writers files; returns the shared analysis service. */
/** `loadLinter` gives the checker; extension.ts loads it from its own bundle on first use. */
export function activateLanguageFeatures(context: vscode.ExtensionContext, loadLinter: () => LintModule): ComposeDocuments {
  const catalogues = new CatalogueSource();
  const envFiles = new EnvFiles();
  const docs = new ComposeDocuments(catalogues, envFiles, loadLinter);
  const refresh = new vscode.EventEmitter<void>();
  context.subscriptions.push(
    catalogues,
    envFiles,
    refresh,
    catalogues.onDidChange(() => refresh.fire()),
    envFiles.onDidChange(() => refresh.fire()),
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
