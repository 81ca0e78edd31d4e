// Every command a user can find in the Command Palette (package.json contributes.commands) must
// do something: a contributed but unregistered command fails with "command not found".
import * as assert from 'assert';
import * as vscode from 'vscode';
import { contributedCommands, getExtension } from './helpers';

suite('Commands', () => {
  test('every command contributed in package.json is registered after activation', async () => {
    const ext = getExtension();
    await ext.activate();
    const contributed = contributedCommands();
    assert.ok(contributed.length > 0, 'package.json contributes no commands: nothing to check, which is itself wrong');

    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c.command));
    assert.deepStrictEqual(
      missing.map((c) => c.command),
      [],
      `${missing.length} of ${contributed.length} contributed commands are not registered (the palette would say "command not found"):\n` +
        missing.map((c) => `  ${c.command}  "${c.title}"`).join('\n'),
    );
  });
});
