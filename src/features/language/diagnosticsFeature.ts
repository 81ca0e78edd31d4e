import * as vscode from 'vscode';
import type { ComposeDocuments } from './composeDocuments';
import { LintCancelledError } from '../../core/lint/worker/workerLinter';
import { toDiagnostic } from './convert';

/** Keeps the Problems panel in step with each kafka_writers file, debounced while typing. */
export function registerDiagnostics(docs: ComposeDocuments, onRefreshNeeded: vscode.Event<void>): vscode.Disposable {
  const collection = vscode.languages.createDiagnosticCollection('salkafka');
  const timers = new Map<string, NodeJS.Timeout>();

  const validate = async (doc: vscode.TextDocument) => {
    if (doc.isClosed || !docs.isCompose(doc)) return;
    const version = doc.version;
    try {
      const analysis = await docs.analyze(doc);
      if (doc.isClosed || doc.version !== version) return;
      collection.set(doc.uri, analysis.diagnostics.map((d) => toDiagnostic(doc, d)));
    } catch (err) {
      // A newer edit replaced this analysis: its own validation will set the diagnostics.
      if (err instanceof LintCancelledError) return;
      // The core never throws on file content; this is a bug, so say so instead of going silent.
      collection.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `EFD SAL Kafka could not check this file: ${(err as Error).message}`, vscode.DiagnosticSeverity.Warning)]);
    }
  };
  const schedule = (doc: vscode.TextDocument) => {
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    const delay = vscode.workspace.getConfiguration('efdSalkafka').get<number>('validate.debounceMs', 250);
    timers.set(key, setTimeout(() => (timers.delete(key), void validate(doc)), delay));
  };
  const revalidateAll = () => {
    docs.invalidate();
    vscode.workspace.textDocuments.forEach((d) => void validate(d));
  };

  vscode.workspace.textDocuments.forEach((d) => void validate(d));
  return vscode.Disposable.from(
    collection,
    vscode.workspace.onDidOpenTextDocument((d) => void validate(d)),
    vscode.workspace.onDidChangeTextDocument((e) => e.contentChanges.length && schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((d) => {
      clearTimeout(timers.get(d.uri.toString()));
      collection.delete(d.uri);
      docs.invalidate(d.uri);
    }),
    vscode.workspace.onDidChangeConfiguration((e) => {
      if (e.affectsConfiguration('efdSalkafka')) {
        collection.clear();
        revalidateAll();
      }
    }),
    onRefreshNeeded(revalidateAll),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
}
