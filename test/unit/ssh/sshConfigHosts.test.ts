import { strict as assert } from 'assert';
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { hostAliasesInConfig, hostAliasesInConfigFile } from '../../../src/core/ssh/sshConfigHosts';

describe('hostAliasesInConfig', () => {
  it('lists the Host names a user can pick, skipping patterns, negations and repeats', () => {
    const text = [
      'Host *',
      '  ServerAliveInterval 30',
      'Host azar2 azar2.cp.lsst.org',
      '  HostName azar2.cp.lsst.org',
      'host tucson-kw "base kw" # the test stands',
      'Host *.lsst.org !bastion',
      'Host=azar2',
      'Match host foo',
      'HostName not-a-host-line',
    ].join('\n');
    assert.deepEqual(hostAliasesInConfig(text), ['azar2', 'azar2.cp.lsst.org', 'tucson-kw', 'base kw']);
  });

  it('follows Include, as OpenSSH does (real files)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'salkafka-sshcfg-'));
    try {
      fs.writeFileSync(path.join(dir, 'extra'), 'Host summit-kw\n  HostName 10.0.0.1\n');
      fs.writeFileSync(path.join(dir, 'config'), `Include ${path.join(dir, 'extra')}\nHost azar2\n`);
      assert.deepEqual(hostAliasesInConfigFile(path.join(dir, 'config'), dir), ['summit-kw', 'azar2']);
      assert.deepEqual(hostAliasesInConfigFile(path.join(dir, 'missing'), dir), []);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
