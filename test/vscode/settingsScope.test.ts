// A trusted folder must not redirect SSH or loosen safety. The runner (test/runner/run-code-server.mjs)
// writes the test host's settings as MACHINE settings and a hostile value for every machine-scoped
// setting into this workspace's .vscode/settings.json; VS Code must ignore the latter.
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';
import * as vscode from 'vscode';

function envJson(name: string): Record<string, unknown> {
  const text = process.env[name];
  assert.ok(text, `${name} is not set: was the run started by test/runner/run-code-server.mjs?`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** The workspace settings.json as written on disk (JSON with comments). */
function workspaceSettingsText(): string {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'no workspace folder is open');
  return fs.readFileSync(path.join(folder.uri.fsPath, '.vscode', 'settings.json'), 'utf8');
}

suite('Settings: a workspace cannot redirect SSH or loosen safety', () => {
  test('every hostile workspace value is on disk, and none of them is in effect', () => {
    const hostile = envJson('SALKAFKA_HOSTILE_WORKSPACE_SETTINGS');
    const machine = envJson('SALKAFKA_MACHINE_SETTINGS');
    const text = workspaceSettingsText();
    const keys = Object.keys(hostile);
    assert.ok(keys.length >= 12, `only ${keys.length} hostile settings`);
    for (const key of keys) {
      assert.ok(text.includes(JSON.stringify(key)), `${key} is not in the workspace settings.json: this test would prove nothing`);
      const [section, ...rest] = key.split('.');
      const name = rest.join('.');
      const c = vscode.workspace.getConfiguration(section);
      const effective = c.get(name);
      assert.notDeepStrictEqual(effective, hostile[key], `${key}: the workspace value ${JSON.stringify(hostile[key])} is in effect`);
      const expected = key in machine ? machine[key] : c.inspect(name)?.defaultValue;
      assert.deepStrictEqual(effective, expected, `${key}: expected the ${key in machine ? 'machine' : 'default'} value`);
    }
  });

  test('the test host settings come from the machine settings (user level), not the workspace', () => {
    const machine = envJson('SALKAFKA_MACHINE_SETTINGS');
    const c = vscode.workspace.getConfiguration('efdSalkafka');
    assert.strictEqual(c.get('host'), machine['efdSalkafka.host']);
    assert.strictEqual(c.get('sshConfigFile'), machine['efdSalkafka.sshConfigFile']);
    const host = c.inspect<string>('host');
    assert.notStrictEqual(host?.workspaceFolderValue, machine['efdSalkafka.host']);
  });
});
