// A user opens the kafka_writers compose file and expects the extension to wake up for it,
// without it being activated for every VS Code window ("*").
import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, VALID_COMPOSE, fixtureUri, getExtension, openInEditor, pollUntil } from './helpers';

suite('Activation', () => {
  test(`extension ${EXTENSION_ID} is installed in the extension host`, () => {
    const ext = getExtension();
    assert.strictEqual(ext.id, EXTENSION_ID);
  });

  test('activates when the kafka_writers compose file is opened', async () => {
    const ext = getExtension();
    const editor = await openInEditor(fixtureUri(VALID_COMPOSE));
    assert.ok(
      editor.document.uri.path.endsWith(`/kafka_writers/${VALID_COMPOSE}`),
      `opened ${editor.document.uri.toString()} instead of the fixture`,
    );
    const active = await pollUntil(() => ext.isActive, (a) => a, 15_000);
    assert.ok(active, `${EXTENSION_ID} was not active 15 s after opening kafka_writers/${VALID_COMPOSE} (languageId "${editor.document.languageId}")`);
    assert.strictEqual(vscode.window.activeTextEditor?.document.uri.toString(), editor.document.uri.toString());
  });

  test('is not activated for every window (no "*" activation event)', () => {
    const events = (getExtension().packageJSON as { activationEvents?: string[] }).activationEvents ?? [];
    assert.ok(!events.includes('*'), `package.json activationEvents contain "*": ${JSON.stringify(events)}`);
  });
});
