// Typing a space after a CSC in CSC_LIST should offer the other SAL components, not the ones
// already in the list.
import * as assert from 'assert';
import * as vscode from 'vscode';
import { VALID_COMPOSE, createScratchCopy, deleteQuietly, openInEditor, tokenRange } from './helpers';

function labelOf(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

suite('Completion in CSC_LIST', () => {
  let scratch: vscode.Uri | undefined;

  suiteTeardown(async () => deleteQuietly(scratch));

  test('at the end of "CSC_LIST=MTRotator " offers MTDome and not MTRotator', async () => {
    scratch = await createScratchCopy(VALID_COMPOSE, 'completion', (text) =>
      text.replace('CSC_LIST=MTRotator MTHexapod MTM2', 'CSC_LIST=MTRotator '),
    );
    const doc = (await openInEditor(scratch)).document;
    const line = tokenRange(doc, 'CSC_LIST=MTRotator ', 'MTRotator').start.line;
    const position = doc.lineAt(line).range.end;
    assert.ok(doc.lineAt(line).text.endsWith('CSC_LIST=MTRotator '), 'fixture line should end with "CSC_LIST=MTRotator "');

    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider', doc.uri, position);
    const labels = list.items.map(labelOf);
    const shown = `${labels.length} items: ${labels.slice(0, 30).join(', ')}${labels.length > 30 ? ', …' : ''}`;
    assert.ok(labels.includes('MTDome'), `MTDome not offered at ${line + 1}:${position.character + 1}; got ${shown}`);
    assert.ok(!labels.includes('MTRotator'), `MTRotator is already in CSC_LIST but is offered again; got ${shown}`);
  });
});
