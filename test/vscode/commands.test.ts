// Every command a user can find in the Command Palette (package.json contributes.commands) must
// run its real handler. Until the remote half loads, a placeholder stands under every id
// (src/features/lazy/remoteLoader.ts), so "the id is registered" proves nothing: each half
// reports the ids it registered a real handler for (registerCommands), and those are checked.
import * as assert from 'assert';
import * as vscode from 'vscode';
import type { ExtensionApi } from '../../src/extension';
import { contributedCommands, getExtension } from './helpers';

suite('Commands', () => {
  test('every command contributed in package.json runs its real handler once the remote half is loaded', async () => {
    const ext = getExtension();
    const api = (await ext.activate()) as ExtensionApi;
    const contributed = contributedCommands();
    assert.ok(contributed.length > 0, 'package.json contributes no commands: nothing to check, which is itself wrong');

    const real = new Set(await api.registeredCommands());
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !real.has(c.command) || !registered.has(c.command));
    assert.deepStrictEqual(
      missing.map((c) => c.command),
      [],
      `${missing.length} of ${contributed.length} contributed commands have no real handler (the palette would say "command not found"):\n` +
        missing.map((c) => `  ${c.command}  "${c.title}"`).join('\n'),
    );
  });
});
