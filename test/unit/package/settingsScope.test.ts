// A trusted folder's .vscode/settings.json must not redirect SSH or loosen safety: such settings
// are "machine" scoped (user or remote-machine settings only; VS Code ignores a workspace value).
// Default deny: a NEW setting must either be machine/application scoped or be added here to the
// short list of settings a workspace may set, with the reason.
import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as path from 'path';

/** Settings a workspace may set: they only change how local files are checked or shown. */
const WORKSPACE_ALLOWED = new Set([
  'efdSalkafka.composeGlob', // which local files are checked
  'efdSalkafka.catalogueFile', // local catalogue for checking; plans still refuse new errors
  'efdSalkafka.validate.debounceMs',
  'efdSalkafka.logs.tail',
  'efdSalkafka.logs.timestamps',
  'efdSalkafka.logs.maxLines',
  'efdSalkafka.verify.timeoutSeconds', // longer or shorter wait; a failure is still a failure
]);

/** The settings issue 9 names: where SSH goes, which file changes, and what safety is on. */
const MUST_BE_MACHINE = [
  'efdSalkafka.host',
  'efdSalkafka.hosts',
  'efdSalkafka.sshConfigFile',
  'efdSalkafka.knownHostsFile',
  'efdSalkafka.composeFile',
  'efdSalkafka.production.hosts',
  'efdSalkafka.production.partitions',
  'efdSalkafka.enableHotAdd',
  'efdSalkafka.backupDirectory',
  'efdSalkafka.auditLogFile',
  'efdSalkafka.dryRun',
  'efdSalkafka.rememberPassphrase',
  'efdSalkafka.envFiles', // issue 13: sourced as shell on the host before docker-compose
];

interface Setting {
  scope?: string;
}

function settings(): Record<string, Setting> {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', '..', '..', 'package.json'), 'utf8'));
  const conf = pkg.contributes.configuration;
  return Object.assign({}, ...(Array.isArray(conf) ? conf : [conf]).map((c: { properties: Record<string, Setting> }) => c.properties));
}

describe('settings scopes (package.json)', () => {
  it('settings that redirect SSH or loosen safety are machine scoped', () => {
    const all = settings();
    for (const key of MUST_BE_MACHINE) {
      assert.ok(all[key], `${key} is not contributed`);
      assert.equal(all[key].scope, 'machine', `${key} must have "scope": "machine"`);
    }
  });

  it('every other setting is either machine/application scoped or explicitly allowed in a workspace', () => {
    for (const [key, s] of Object.entries(settings())) {
      if (WORKSPACE_ALLOWED.has(key)) continue;
      assert.ok(
        s.scope === 'machine' || s.scope === 'application',
        `${key} has scope ${s.scope ?? '(default: window)'}: a workspace could set it. Give it "scope": "machine", or add it to WORKSPACE_ALLOWED with the reason.`,
      );
    }
  });
});
