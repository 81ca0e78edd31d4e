// 4. "Open Remote Compose File" opens the kafka_writers file of the test host in an editor
//    (salkafka: file system over the SSH connection) and the compose checks run on it as on a
//    local file. An unknown CSC typed into the buffer is flagged without saving anything.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { describeDiagnostics, describeRange, pollUntil, salkafkaDiagnostics, sleep } from './helpers';
import { connected, extensionApi, hostAtBaseline, onHost, withTimeout, type TestHostInfo } from './remoteHelpers';

const M2_LIST = 'CSC_LIST=MTRotator MTHexapod MTM2';
const TYPO = 'MTMout';

suite('Remote 4: remote compose file in the editor', () => {
  let info: TestHostInfo;
  let api: ExtensionApi;
  let doc: vscode.TextDocument;
  let remoteText: string;

  suiteSetup(async function () {
    this.timeout(180_000);
    info = await hostAtBaseline();
    api = await extensionApi();
    await connected(api);
    remoteText = await onHost(info, `cat ${info.composeFile}`);
  });

  suiteTeardown(async function () {
    this.timeout(20_000);
    // Never leave a dirty remote buffer: closing it would ask to save.
    if (doc && doc.isDirty) {
      await vscode.window.showTextDocument(doc);
      await vscode.commands.executeCommand('workbench.action.files.revert');
    }
    if (doc) await vscode.window.showTextDocument(doc).then(() => vscode.commands.executeCommand('workbench.action.closeActiveEditor'));
  });

  test('efdSalkafka.openRemoteCompose opens salkafka://<alias><composeFile> with the host file\'s exact text', async function () {
    this.timeout(40_000);
    await withTimeout(vscode.commands.executeCommand('efdSalkafka.openRemoteCompose'), 20_000, 'efdSalkafka.openRemoteCompose');
    const editor = vscode.window.activeTextEditor;
    assert.ok(editor, 'no active editor after efdSalkafka.openRemoteCompose (an error message may say why)');
    doc = editor.document;
    assert.strictEqual(doc.uri.scheme, 'salkafka', `opened ${doc.uri.toString()}`);
    assert.strictEqual(doc.uri.authority, info.sshAlias);
    assert.strictEqual(doc.uri.path, info.composeFile);
    assert.ok(doc.lineCount > 10 && doc.getText().includes(M2_LIST), `the document has no producer content:\n${doc.getText().slice(0, 500)}`);
    assert.strictEqual(doc.getText(), remoteText, 'the editor text differs from `cat` of the file on the host');
    assert.strictEqual(doc.isDirty, false);
  });

  test('the clean host file gets no salkafka diagnostics', async function () {
    this.timeout(20_000);
    assert.ok(doc, 'the remote compose file was not opened');
    await sleep(2_000); // > the 250 ms validation debounce; the analysis reads .env over SSH
    const found = salkafkaDiagnostics(doc.uri);
    assert.deepStrictEqual(found, [], `diagnostics on the clean test host file:\n${describeDiagnostics(found)}`);
  });

  test('the checks use the catalogue read from the producer image itself (hover says which)', async function () {
    this.timeout(20_000);
    assert.ok(doc, 'the remote compose file was not opened');
    const line = doc.getText().split('\n').findIndex((l) => l.includes(M2_LIST));
    const position = new vscode.Position(line, doc.lineAt(line).text.indexOf('MTRotator') + 2);
    const text = await pollUntil(
      async () => {
        const hovers = (await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, position)) ?? [];
        return hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : 'value' in c ? c.value : ''))).join('\n');
      },
      (t) => /read from image/.test(t),
      10_000,
    );
    assert.match(text, /Checked against ts_xml \d+\.\d+\.\d+ \(read from image salkafka-sim:test\)\./, `hover:\n${text}`);
  });

  test(`an unknown CSC typed into the buffer (${TYPO}) is reported as csc-unknown on that word, and nothing is saved`, async function () {
    this.timeout(40_000);
    assert.ok(doc, 'the remote compose file was not opened');
    const line = doc.getText().split('\n').findIndex((l) => l.includes(M2_LIST));
    const end = doc.lineAt(line).text.indexOf(M2_LIST) + M2_LIST.length;
    const edit = new vscode.WorkspaceEdit();
    edit.insert(doc.uri, new vscode.Position(line, end), ` ${TYPO}`);
    assert.ok(await vscode.workspace.applyEdit(edit), 'the edit was not applied to the remote document');
    assert.strictEqual(doc.isDirty, true);

    const expected = new vscode.Range(line, end + 1, line, end + 1 + TYPO.length);
    const diags = await pollUntil(() => salkafkaDiagnostics(doc.uri), (d) => d.some((x) => x.code === 'csc-unknown'), 10_000);
    const unknown = diags.filter((d) => d.code === 'csc-unknown');
    assert.strictEqual(unknown.length, 1, `expected one csc-unknown within 10 s:\n${describeDiagnostics(vscode.languages.getDiagnostics(doc.uri))}`);
    assert.ok(unknown[0].range.isEqual(expected), `csc-unknown at ${describeRange(unknown[0].range)} ("${doc.getText(unknown[0].range)}"), expected ${describeRange(expected)} ("${TYPO}")`);
    assert.strictEqual(unknown[0].severity, vscode.DiagnosticSeverity.Error);
    assert.match(unknown[0].message, new RegExp(TYPO));

    // Only the buffer changed: the file on the host is as it was.
    assert.strictEqual(await onHost(info, `cat ${info.composeFile}`), remoteText, 'the compose file on the host changed although nothing was saved');
  });

  test('reverting the buffer clears the diagnostic again (the checker re-ran on the clean text)', async function () {
    this.timeout(30_000);
    assert.ok(doc, 'the remote compose file was not opened');
    await vscode.window.showTextDocument(doc);
    await vscode.commands.executeCommand('workbench.action.files.revert');
    assert.strictEqual(doc.isDirty, false, 'still dirty after revert');
    assert.strictEqual(doc.getText(), remoteText);
    const after = await pollUntil(() => salkafkaDiagnostics(doc.uri), (d) => d.length === 0, 10_000);
    assert.deepStrictEqual(after, [], `diagnostics left after revert:\n${describeDiagnostics(after)}`);
  });
});
