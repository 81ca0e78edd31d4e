// Bounded analysis in the real editor: a document over the worker threshold (128 KiB) is checked
// in a worker thread and re-checked after an edit; a merge bomb and an env_file that is a FIFO
// finish with their diagnostics instead of freezing or hanging the extension host.
import * as assert from 'assert';
import { execFileSync } from 'child_process';
import * as vscode from 'vscode';
import { createScratchCopy, deleteQuietly, describeDiagnostics, kafkaWritersDir, openInEditor, pollUntil, salkafkaDiagnostics, VALID_COMPOSE } from './helpers';

const WAIT_MS = 30_000;

/** Producers appended to the valid fixture so the document passes the worker threshold. */
function manyProducers(count: number): string {
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    out.push(
      `  salkafka-bulk${i}:`,
      `    image: ts-dockerhub.lsst.org/salkafka:c0035`,
      `    container_name: salkafka-bulk${i}`,
      `    environment:`,
      `      - BROKER_IP=sasquatch-summit-kafka-bootstrap.lsst.codes`,
      `      - BROKER_PORT=9094`,
      `      - REGISTRY_ADDR=https://summit-lsp.lsst.codes/schema-registry`,
      `      - CSC_LIST=Test:${i + 1}`,
    );
  }
  return out.join('\n') + '\n';
}

suite('Bounded analysis in the editor', () => {
  const scratch: vscode.Uri[] = [];
  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    for (const uri of scratch) await deleteQuietly(uri);
  });

  test('a 200 KB document is checked (in the worker) and re-checked after an edit', async function () {
    this.timeout(WAIT_MS * 2 + 10_000);
    const uri = await createScratchCopy(VALID_COMPOSE, 'large', (t) => t.replace(/\nservices:\n/, `\nservices:\n${manyProducers(700)}  salkafka-last:\n    image: x\n    environment:\n      - CSC_LIST=MTRotatr\n`));
    scratch.push(uri);
    const editor = await openInEditor(uri);
    assert.ok(editor.document.getText().length > 128 * 1024, `only ${editor.document.getText().length} characters`);
    const first = await pollUntil(() => salkafkaDiagnostics(uri), (d) => d.some((x) => x.code === 'csc-unknown'), WAIT_MS);
    assert.ok(first.some((d) => d.code === 'csc-unknown' && editor.document.getText(d.range) === 'MTRotatr'), describeDiagnostics(first.slice(0, 20)));
    // Two quick edits: the first analysis may be cancelled, the last one must land.
    const line = editor.document.getText().split('\n').findIndex((l) => l.includes('CSC_LIST=MTRotatr'));
    const end = editor.document.lineAt(line).range.end;
    await editor.edit((e) => e.insert(end, ' ZZfirst'));
    await editor.edit((e) => e.insert(editor.document.lineAt(line).range.end, ' ZZsecond'));
    const after = await pollUntil(() => salkafkaDiagnostics(uri), (d) => d.some((x) => x.message.includes('ZZsecond')), WAIT_MS);
    assert.ok(after.some((d) => d.code === 'csc-unknown' && editor.document.getText(d.range) === 'ZZsecond'), describeDiagnostics(after.slice(0, 20)));
    await vscode.commands.executeCommand('workbench.action.files.revert');
  });

  test('a merge bomb gets its diagnostics instead of freezing the extension host', async function () {
    this.timeout(WAIT_MS + 10_000);
    const bomb = ['x-a0: &a0 {k: v}'];
    for (let i = 1; i <= 8; i++) bomb.push(`x-a${i}: &a${i} {<<: [${Array(10).fill(`*a${i - 1}`).join(',')}]}`);
    const uri = await createScratchCopy(VALID_COMPOSE, 'bomb', () => `${bomb.join('\n')}\nservices:\n  salkafka-x:\n    <<: *a8\n    image: x\n`);
    scratch.push(uri);
    await openInEditor(uri);
    const found = await pollUntil(() => salkafkaDiagnostics(uri), (d) => d.some((x) => x.code === 'compose-unknown-key'), WAIT_MS);
    assert.ok(found.some((d) => /no key "k"/.test(d.message)), describeDiagnostics(found));
  });

  test('an env_file that is a FIFO is reported (env-file-unreadable) and never read', async function () {
    this.timeout(WAIT_MS + 10_000);
    const fifo = vscode.Uri.joinPath(kafkaWritersDir(), `fifo-${Date.now().toString(36)}.env`);
    execFileSync('mkfifo', [fifo.fsPath]);
    scratch.push(fifo);
    const name = fifo.path.split('/').pop()!;
    const uri = await createScratchCopy(VALID_COMPOSE, 'fifo', (t) => t.replace('    container_name: salkafka-m2\n', `    container_name: salkafka-m2\n    env_file: ${name}\n`));
    scratch.push(uri);
    const editor = await openInEditor(uri);
    const found = await pollUntil(() => salkafkaDiagnostics(uri), (d) => d.some((x) => x.code === 'env-file-unreadable'), WAIT_MS);
    const d = found.find((x) => x.code === 'env-file-unreadable')!;
    assert.ok(d, describeDiagnostics(found));
    assert.strictEqual(editor.document.getText(d.range), name);
    assert.match(d.message, /not a regular file \(a FIFO\)/);
  });
});
