// Restricted Mode (an untrusted workspace): run by the runner's "restricted" pass only, which
// opens the workspace with workspace trust ON and no trust given. Checking a compose file is
// harmless and keeps working (the Diagnostics, Completion and Quick fix suites run in the same
// pass); every remote feature refuses, VS Code ignores the workspace's host settings, and the
// producers view shows why.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { BROKEN_COMPOSE, fixtureUri, getExtension, openInEditor, pollUntil, salkafkaDiagnostics, tokenRange } from './helpers';

suite('Restricted Mode: compose checking works, the remote half needs trust', () => {
  let api: ExtensionApi;

  suiteSetup(async () => {
    api = (await getExtension().activate()) as ExtensionApi;
  });

  test('the workspace really is untrusted', () => {
    assert.strictEqual(vscode.workspace.isTrusted, false, 'the restricted pass must open the folder without trust (startWorkbench restricted: true)');
  });

  test('diagnostics and hover work on the open compose file', async function () {
    this.timeout(20_000);
    const doc = (await openInEditor(fixtureUri(BROKEN_COMPOSE))).document;
    const diags = await pollUntil(() => salkafkaDiagnostics(doc.uri), (d) => d.some((x) => x.code === 'csc-unknown'), 10_000);
    assert.ok(diags.some((d) => d.code === 'csc-unknown'), 'no csc-unknown diagnostic in Restricted Mode');
    const at = tokenRange(doc, 'CSC_LIST=MTRotatr', 'MTRotatr').start;
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at.translate(0, 2));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /MTRotat/, `hover on MTRotatr in Restricted Mode: ${text || '(none)'}`);
  });

  test('VS Code ignores the workspace host settings (restrictedConfigurations)', async () => {
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'no workspace folder');
    const file = Buffer.from(await vscode.workspace.fs.readFile(vscode.Uri.joinPath(folder.uri, '.vscode', 'settings.json'))).toString('utf8');
    const written = /"efdSalkafka\.host":\s*"([^"]+)"/.exec(file)?.[1];
    assert.ok(written && written !== 'azar2', `the runner writes a host alias as efdSalkafka.host into the workspace settings:\n${file}`);
    assert.notStrictEqual(vscode.workspace.getConfiguration('efdSalkafka').get('host'), written, `the untrusted workspace's efdSalkafka.host (${written}) must not be used`);
  });

  test('the remote half does not load: views() and every change command refuse, nothing connects', async function () {
    this.timeout(20_000);
    await assert.rejects(api.views(), /trusted workspace/);
    const result = await vscode.commands.executeCommand('efdSalkafka.addCsc', { service: 'salkafka-m2', csc: 'MTDome' });
    assert.strictEqual(result, undefined);
    assert.strictEqual(await vscode.commands.executeCommand('efdSalkafka.connect'), undefined);
    await assert.rejects(api.ops(), /trusted workspace/);
    await assert.rejects(Promise.resolve(vscode.workspace.fs.readFile(vscode.Uri.parse('salkafka://azar2/etc/hostname'))), /trusted workspace/);
  });

  test('the producers view explains that trust is needed (viewsWelcome for !isWorkspaceTrusted)', () => {
    const pkg = getExtension().packageJSON as { contributes: { viewsWelcome: { view: string; contents: string; when?: string }[] }; capabilities: { untrustedWorkspaces: { supported: string } } };
    assert.strictEqual(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    const welcome = pkg.contributes.viewsWelcome.filter((w) => w.view === 'efdSalkafka.producers' && w.when === '!isWorkspaceTrusted');
    assert.strictEqual(welcome.length, 1);
    assert.match(welcome[0].contents, /trusted workspace/);
    assert.match(welcome[0].contents, /command:workbench\.trust\.manage/);
  });
});
