// The unknown CSC "MTRotatr" should come with a one-click fix to the closest real name.
import * as assert from 'assert';
import * as vscode from 'vscode';
import {
  BROKEN_COMPOSE,
  createScratchCopy,
  deleteQuietly,
  describeDiagnostics,
  openInEditor,
  pollUntil,
  salkafkaDiagnostics,
  tokenRange,
} from './helpers';

const FIX_TITLE = 'Replace with MTRotator';

suite('Quick fix for an unknown CSC', () => {
  let scratch: vscode.Uri | undefined;

  suiteTeardown(async () => deleteQuietly(scratch));

  test(`offers "${FIX_TITLE}" on MTRotatr and applying it fixes the line`, async () => {
    // A scratch copy, so applying the fix does not change broken.yaml for the other suites.
    scratch = await createScratchCopy(BROKEN_COMPOSE, 'quickfix');
    const doc = (await openInEditor(scratch)).document;
    const range = tokenRange(doc, 'CSC_LIST=MTRotatr', 'MTRotatr');

    // Code actions get the diagnostics in range as context; give the validator time to publish.
    await pollUntil(() => salkafkaDiagnostics(doc.uri), (d) => d.some((x) => x.code === 'csc-unknown'), 10_000);

    const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[]>(
      'vscode.executeCodeActionProvider', doc.uri, range);
    const titles = (actions ?? []).map((a) => a.title);
    const fix = (actions ?? []).find((a): a is vscode.CodeAction => a.title === FIX_TITLE);
    assert.ok(
      fix,
      `no code action titled "${FIX_TITLE}" on ${range.start.line + 1}:${range.start.character + 1}; offered: [${titles.join(' | ')}]\n` +
        `diagnostics:\n${describeDiagnostics(vscode.languages.getDiagnostics(doc.uri))}`,
    );
    assert.ok(fix.edit || fix.command, `"${FIX_TITLE}" has neither an edit nor a command`);

    if (fix.edit) {
      assert.ok(await vscode.workspace.applyEdit(fix.edit), 'workspace.applyEdit refused the fix');
    } else if (fix.command) {
      await vscode.commands.executeCommand(fix.command.command, ...(fix.command.arguments ?? []));
    }

    const fixedLine = doc.lineAt(range.start.line).text;
    assert.ok(
      fixedLine.includes('CSC_LIST=MTRotator MTHexapod MTM2'),
      `after the fix the line reads "${fixedLine.trim()}"`,
    );
    assert.ok(!doc.getText().includes('MTRotatr'), 'MTRotatr is still somewhere in the document');

    const remaining = await pollUntil(
      () => salkafkaDiagnostics(doc.uri).filter((d) => d.code === 'csc-unknown'),
      (d) => d.length === 0,
      10_000,
    );
    assert.deepStrictEqual(remaining, [], `csc-unknown still reported after the fix:\n${describeDiagnostics(remaining)}`);
    await doc.save(); // leave no dirty editor behind (a dirty editor would prompt on close)
  });
});
