import { strict as assert } from 'assert';
import { chooseTransport, parseTransportSetting } from '../../../src/core/host/chooseTransport';
import { connectedSummary, readHostEntries } from '../../../src/core/host/hostEntries';
import { isThisMachine } from '../../../src/core/host/hostFacts';

describe('chooseTransport', () => {
  const all = { setting: 'auto' as const, composeFileExists: true, dockerSocketAnswers: true, hostIsThisMachine: true };

  it('an explicit setting wins whatever the facts', () => {
    assert.equal(chooseTransport({ ...all, setting: 'ssh' }).kind, 'ssh');
    assert.equal(chooseTransport({ setting: 'local', composeFileExists: false, dockerSocketAnswers: false, hostIsThisMachine: false }).kind, 'local');
  });

  it('auto is local only when the compose file is here, Docker answers, and the host is this machine or we run on the SSH remote', () => {
    assert.equal(chooseTransport(all).kind, 'local');
    assert.equal(chooseTransport({ ...all, hostIsThisMachine: false, remoteName: 'ssh-remote' }).kind, 'local');
    const noHost = chooseTransport({ ...all, hostIsThisMachine: false });
    assert.equal(noHost.kind, 'ssh');
    assert.match(noHost.reason, /not this machine/);
    assert.equal(chooseTransport({ ...all, hostIsThisMachine: false, remoteName: 'wsl' }).kind, 'ssh');
    const noFile = chooseTransport({ ...all, composeFileExists: false, remoteName: 'ssh-remote' });
    assert.equal(noFile.kind, 'ssh');
    assert.match(noFile.reason, /compose file is not on this machine/);
    assert.equal(chooseTransport({ ...all, dockerSocketAnswers: false }).kind, 'ssh');
  });

  it('unknown setting values mean auto', () => {
    assert.equal(parseTransportSetting('LOCAL'), 'auto');
    assert.equal(parseTransportSetting(undefined), 'auto');
    assert.equal(parseTransportSetting('ssh'), 'ssh');
  });

  it('loopback names this machine; a name behind a jump host never does', async () => {
    assert.equal(await isThisMachine('127.0.0.1', 0), true);
    assert.equal(await isThisMachine('localhost', 0), true);
    assert.equal(await isThisMachine('127.0.0.1', 1), false);
    assert.equal(await isThisMachine('host.invalid', 0), false);
  });
});

describe('readHostEntries', () => {
  const base = { host: 'azar2', composeFile: '/deploy/kafka_writers/docker-compose.yaml', transport: 'auto' };

  it('no list: the single host of efdSalkafka.host with efdSalkafka.composeFile', () => {
    assert.deepEqual(readHostEntries({ ...base, list: [] }), { entries: [{ alias: 'azar2', composeFile: base.composeFile, transport: 'auto' }], problems: [] });
  });

  it('a list: each entry with its own compose file, production flag and transport; bad entries are named and skipped', () => {
    const { entries, problems } = readHostEntries({
      ...base,
      list: [
        { alias: 'azar2', production: true },
        { alias: 'tucson-kw', composeFile: '/srv/kw/docker-compose.yaml', production: false, transport: 'ssh' },
        'base-kw',
        { alias: 'azar2' },
        { alias: 'bad host; rm -rf /' },
        { alias: 'rel', composeFile: 'kafka_writers/docker-compose.yaml' },
        42,
      ],
    });
    assert.deepEqual(entries, [
      { alias: 'azar2', composeFile: base.composeFile, production: true, transport: 'auto' },
      { alias: 'tucson-kw', composeFile: '/srv/kw/docker-compose.yaml', production: false, transport: 'ssh' },
      { alias: 'base-kw', composeFile: base.composeFile, production: undefined, transport: 'auto' },
    ]);
    assert.equal(problems.length, 4);
    assert.match(problems.join('\n'), /listed twice/);
    assert.match(problems.join('\n'), /is not a host alias/);
    assert.match(problems.join('\n'), /must be an absolute path on rel/);
  });

  it('a list with nothing usable falls back to efdSalkafka.host and says so', () => {
    const r = readHostEntries({ ...base, list: [{ alias: '' }] });
    assert.equal(r.entries[0].alias, 'azar2');
    assert.match(r.problems.join('\n'), /no usable entry/);
  });

  it('summarises the connected hosts', () => {
    assert.equal(connectedSummary([{ alias: 'a', state: 'connected' }, { alias: 'b', state: 'failed' }, { alias: 'c', state: 'connected' }]), 'EFD: 2/3 connected');
  });
});
