// Shared helpers for the extension-host suites: locating the extension and the workspace fixture,
// opening documents, and polling for results that arrive asynchronously (diagnostics, activation).
import * as assert from 'assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'lsst-ts.efd-salkafka';
export const DIAGNOSTIC_SOURCE = 'salkafka';
export const VALID_COMPOSE = 'docker-compose.yaml';
export const BROKEN_COMPOSE = 'broken.yaml';

export function getExtension(): vscode.Extension<unknown> {
  const ext = vscode.extensions.getExtension(EXTENSION_ID);
  if (!ext) {
    const ours = vscode.extensions.all.map((e) => e.id).filter((id) => !id.startsWith('vscode.'));
    assert.fail(`Extension ${EXTENSION_ID} is not loaded in the extension host. Non-built-in extensions present: [${ours.join(', ')}]`);
  }
  return ext;
}

export interface ContributedCommand {
  command: string;
  title: string;
}

export function contributedCommands(): ContributedCommand[] {
  const pkg = getExtension().packageJSON as { contributes?: { commands?: ContributedCommand[] } };
  return pkg.contributes?.commands ?? [];
}

/** The kafka_writers folder of the temporary workspace the runner copied from test/fixtures/workspace. */
export function kafkaWritersDir(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'No workspace folder is open: the runner must open a copy of test/fixtures/workspace.');
  return vscode.Uri.joinPath(folder.uri, 'kafka_writers');
}

export function fixtureUri(name: string): vscode.Uri {
  return vscode.Uri.joinPath(kafkaWritersDir(), name);
}

export async function openInEditor(uri: vscode.Uri): Promise<vscode.TextEditor> {
  const doc = await vscode.workspace.openTextDocument(uri);
  return vscode.window.showTextDocument(doc, { preview: false });
}

/**
 * Writes a new file beside the fixtures (so it matches the kafka_writers glob) whose text is the
 * named fixture's text passed through `transform`. Lets a suite edit a document without changing
 * what the other suites see.
 */
export async function createScratchCopy(
  fixtureName: string,
  scratchPrefix: string,
  transform: (text: string) => string = (t) => t,
): Promise<vscode.Uri> {
  const source = new TextDecoder().decode(await vscode.workspace.fs.readFile(fixtureUri(fixtureName)));
  const transformed = transform(source);
  const uri = fixtureUri(`${scratchPrefix}-${Date.now().toString(36)}.yaml`);
  await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(transformed));
  return uri;
}

export async function deleteQuietly(uri: vscode.Uri | undefined): Promise<void> {
  if (!uri) return;
  try {
    await vscode.workspace.fs.delete(uri);
  } catch {
    // already gone: nothing to clean
  }
}

/** Range of the first occurrence of `token` on the first line that contains `lineMarker`. */
export function tokenRange(doc: vscode.TextDocument, lineMarker: string, token: string): vscode.Range {
  for (let line = 0; line < doc.lineCount; line++) {
    const text = doc.lineAt(line).text;
    if (!text.includes(lineMarker)) continue;
    const start = text.indexOf(token);
    assert.ok(start >= 0, `Fixture problem: line ${line + 1} has "${lineMarker}" but not "${token}"`);
    return new vscode.Range(line, start, line, start + token.length);
  }
  assert.fail(`Fixture problem: no line of ${doc.uri.path} contains "${lineMarker}"`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Polls `probe` until it returns a value that `done` accepts, or the timeout passes; returns the last value. */
export async function pollUntil<T>(
  probe: () => T | Promise<T>,
  done: (value: T) => boolean,
  timeoutMs: number,
  intervalMs = 100,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (!done(value) && Date.now() < deadline) {
    await sleep(intervalMs);
    value = await probe();
  }
  return value;
}

/** The extension's diagnostics on `uri` (those whose source is 'salkafka'). */
export function salkafkaDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === DIAGNOSTIC_SOURCE);
}

/** Human-readable list of diagnostics for failure messages. */
export function describeDiagnostics(diags: readonly vscode.Diagnostic[]): string {
  if (diags.length === 0) return '(none)';
  return diags
    .map((d) => {
      const code = typeof d.code === 'object' ? JSON.stringify(d.code) : String(d.code);
      const r = d.range;
      return `  [${d.source ?? 'no source'}] code=${code} ${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1} "${d.message}"`;
    })
    .join('\n');
}

export function describeRange(r: vscode.Range): string {
  return `${r.start.line + 1}:${r.start.character + 1}-${r.end.line + 1}:${r.end.character + 1}`;
}
