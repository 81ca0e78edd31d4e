// An Argo CD kafka-producers values file (argocd-csc apps/kafka-producers/values-<env>.yaml) opened
// in the editor: CSC diagnostics on the exact words of folded cscs blocks, merged over values.yaml,
// no compose-* finding; completion, hover, quick fix and outline on the same model.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { describeDiagnostics, openInEditor, pollUntil, salkafkaDiagnostics } from './helpers';

const BASE = `image:
  repository: lsstts/salkafka
  tag: v1.1.0_salobj_v5.4.0_xml_v4.7.0
env:
  lsstDdsPartitionPrefix: rubinobs
  brokerIp: kafka-brokers.sasquatch
  brokerPort: 9092
  registryAddr: http://schema-registry.sasquatch:8081
producers:
  m1m3:
    cscs: >-
      --file m1m3.yaml
  test:
    cscs: Test
`;

const SITE = `image:
  repository: ts-dockerhub.lsst.org/salkafka
  tag: c0039
env:
  lsstDdsPartitionPrefix: summit
producers:
  auxtel:
    cscs: >-
      ATAOS
      ATDomeTrajectory
      ATMC
  eas:
    cscs: >-
      DIMM
      WeatherForcast
  test: null
`;

suite('Values files (Argo CD kafka-producers)', () => {
  let dir: vscode.Uri;
  let doc: vscode.TextDocument;

  suiteSetup(async function () {
    this.timeout(30_000);
    const folder = vscode.workspace.workspaceFolders![0].uri;
    dir = vscode.Uri.joinPath(folder, 'apps', `kafka-producers`);
    await vscode.workspace.fs.createDirectory(dir);
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'values.yaml'), new TextEncoder().encode(BASE));
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(dir, 'values-summit.yaml'), new TextEncoder().encode(SITE));
    doc = (await openInEditor(vscode.Uri.joinPath(dir, 'values-summit.yaml'))).document;
  });

  suiteTeardown(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await vscode.workspace.fs.delete(vscode.Uri.joinPath(dir, '..'), { recursive: true, useTrash: false });
  });

  const at = (word: string, offset = 0) => doc.positionAt(doc.getText().indexOf(word) + offset);

  test('diagnostics: the CSC rules on the exact word of a folded block, never compose-*', async () => {
    const diags = await pollUntil(() => salkafkaDiagnostics(doc.uri), (d) => d.some((x) => x.code === 'csc-unknown' && doc.getText(x.range) === 'WeatherForcast'), 15_000);
    const shown = describeDiagnostics(diags);
    assert.ok(diags.some((d) => d.code === 'csc-unknown' && doc.getText(d.range) === 'WeatherForcast'), shown);
    assert.ok(diags.some((d) => d.code === 'csc-unknown' && doc.getText(d.range) === 'ATMC'), shown);
    assert.deepEqual(diags.filter((d) => /^(compose|env|container|variable)-/.test(String(d.code))), [], shown);
  });

  test('quick fix replaces the misspelt name inside the folded block', async () => {
    const range = new vscode.Range(at('WeatherForcast'), at('WeatherForcast', 'WeatherForcast'.length));
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', doc.uri, range);
    const fix = actions.find((a) => a.title === 'Replace with WeatherForecast');
    assert.ok(fix?.edit, `actions: ${actions.map((a) => a.title).join(', ')}`);
    const edits = fix.edit.get(doc.uri);
    assert.equal(edits.length, 1);
    assert.equal(doc.getText(edits[0].range), 'WeatherForcast');
  });

  test('completion on a line of the cscs block offers CSC names, not those already listed', async () => {
    const list = await vscode.commands.executeCommand<vscode.CompletionList>('vscode.executeCompletionItemProvider', doc.uri, at('ATMC', 4));
    const labels = list.items.map((i) => (typeof i.label === 'string' ? i.label : i.label.label));
    assert.ok(labels.includes('ATMCS'), `${labels.length} items: ${labels.slice(0, 20).join(', ')}`);
    assert.ok(!labels.includes('ATAOS'), 'ATAOS is already in auxtel');
  });

  test('hover on a CSC of the block', async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', doc.uri, at('ATDomeTrajectory', 3));
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*ATDomeTrajectory\*\*/);
  });

  test('outline: the producers of this file with their CSCs', async () => {
    const symbols = await vscode.commands.executeCommand<vscode.DocumentSymbol[]>('vscode.executeDocumentSymbolProvider', doc.uri);
    assert.deepEqual(symbols.map((s) => s.name), ['auxtel', 'eas']);
    assert.deepEqual(symbols[0].children.map((c) => c.name), ['ATAOS', 'ATDomeTrajectory', 'ATMC']);
  });
});
