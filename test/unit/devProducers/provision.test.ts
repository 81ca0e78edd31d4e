import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { planDevProducer, DevRequestError, daemonImage, type DevRequest, type ParsedComposeFile } from '../../../src/core/devProducers/provision';
import { planTakeDown } from '../../../src/core/devProducers/takeDown';
import { lintCompose } from '../../../src/core/lint/lint';
import { siblingDiagnostics } from '../../../src/core/lint/siblings';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SUMMIT = join(ROOT, 'test', 'fixtures', 'real-shapes', 'summit-2021', 'summit');
// setup.env + setup_kp.env of 18 Nov 2021, as the operators sourced them.
const VARS: Record<string, string> = {};
for (const f of ['setup.env', 'setup_kp.env']) {
  for (const m of readFileSync(join(SUMMIT, f), 'utf8').matchAll(/^export (\w+)=(.*)$/gm)) VARS[m[1]] = m[2].replace(/\$\{(\w+)\}/g, (_, v: string) => VARS[v] ?? '');
}
const read = (rel: string, site = '/deploy-lsstts/docker-compose-ops/summit'): ParsedComposeFile => {
  const text = readFileSync(join(SUMMIT, rel), 'utf8');
  return { path: `${site}/${rel}`, text, model: parseCompose(text, { variables: VARS }) };
};
const MAIN = '/deploy-lsstts/docker-compose-ops/summit/kafka_writers/docker-compose.yaml';
// The summit without the eas producer and its daemon: what an engineer faced before Sep 2021.
const withoutEas = (): ParsedComposeFile[] => [read('kafka_writers/docker-compose.yaml'), read('support/docker-compose.yaml')];
const all = (): ParsedComposeFile[] => [read('kafka_writers/docker-compose.yaml'), read('kafka_writers/docker-compose-eas.yaml'), read('support/docker-compose-domain-007.yaml'), read('support/docker-compose.yaml')];
const request: DevRequest = { domainId: 7, cscs: ['MTM2'], purpose: 'mtm2', owner: 'mreuter', expires: '2021-11-30', imageTag: 'c0021', target: 'own-file', opensplice: 'shared-memory' };
const reparse = (p: ParsedComposeFile, text: string): ParsedComposeFile => ({ ...p, text, model: parseCompose(text, { variables: VARS }) });

describe('development producers: provisioning (2021 summit files)', () => {
  it('MTM2 on domain 7 in its own file: the header names the env files, broker/registry/partitions copied, off-cycle image, shared memory, a planned daemon', () => {
    const p = planDevProducer(request, withoutEas(), MAIN);
    assert.equal(p.file.kind, 'create');
    assert.equal(p.file.path, '/deploy-lsstts/docker-compose-ops/summit/kafka_writers/docker-compose-mtm2.yaml');
    const text = p.file.after!;
    assert.match(text, /^# Using this file requires the following environment files\n# - setup\.env\n# - setup_kp\.env\n/);
    assert.match(text, /\n {2}salkafka-mtm2:\n {4}image: ts-dockerhub\.lsst\.org\/salkafka:c0021\n {4}container_name: salkafka-mtm2\n/);
    for (const line of ['- BROKER_IP=kafka-0-summit-efd.lsst.codes', '- BROKER_PORT=31090', '- REGISTRY_ADDR=https://schema-registry-summit-efd.lsst.codes', '- PARTITIONS=1', '- REPLICATION=3', '- WAIT_ACK=1', '- LSST_DDS_PARTITION_PREFIX=summit', '- LSST_DDS_DOMAIN_ID=7', '- LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi_7', '- CSC_LIST=MTM2', 'ipc: host', 'pid: host', '- ${OSPL_SHMEM_SOCKET_DIR}:/tmp/', '- ${OSPL_SHMEM_CONFIG}:${OSPL_MOUNT_POINT}', 'org.lsst.efd.salkafka.owner: mreuter', 'org.lsst.efd.salkafka.expires: "2021-11-30"', 'networks:\n  dds-network:\n    external: true']) {
      assert.ok(text.includes(line), `${line}\n${text}`);
    }
    // Not copied: the template's static address, its in-container OpenSplice start, its CSCs, its IDL mount.
    assert.doesNotMatch(text, /ipv4_address|startup\.sh|MTRotator|python3\.7\/idl/);
    assert.equal(p.template.service, 'salkafka-auxtel');
    assert.deepEqual(p.daemon, { service: 'ospl-daemon-domain-007', container: 'ospl-daemon-domain-007', state: 'planned', path: p.file.path, image: 'ts-dockerhub.lsst.org/ospl-daemon:c0021' });
    assert.deepEqual(p.commands, ['cd /deploy-lsstts/docker-compose-ops/summit/kafka_writers && docker-compose -f docker-compose-mtm2.yaml up -d ospl-daemon-domain-007 salkafka-mtm2']);
    // The checker has nothing to say about what was generated (DDS rules included), beyond the project note.
    const created = { path: p.file.path, text, model: parseCompose(text, { variables: VARS }) };
    const own = lintCompose(text, { catalogue: defaultCatalogue(), variables: VARS }).diagnostics.filter((d) => d.severity !== 'info');
    assert.deepEqual(own.map((d) => `${d.code}: ${d.message}`), []);
    const cross = siblingDiagnostics([created, ...withoutEas()]).get(p.file.path)!;
    assert.deepEqual(cross.map((d) => d.code), []);
  });

  it('the checklist names the production producer that also lists MTM2, and the announcement has domain, CSCs, owner and expiry', () => {
    const p = planDevProducer(request, withoutEas(), MAIN);
    assert.ok(p.prerequisites.some((x) => x === 'MTM2 is also in production producer salkafka-m2: both would write the same lsst.sal.MTM2.* topics whenever the component runs on both domains.'), p.prerequisites.join('\n'));
    assert.match(p.prerequisites[0], /run on DDS domain 7 .*not on the production domain: MTM2/);
    assert.match(p.announcement, /salkafka-mtm2 on DDS domain 7 for MTM2 \(mtm2\).*Owner: mreuter\. Until 2021-11-30/);
  });

  it('the domain-7 daemon of support/ is found, not planned again', () => {
    const p = planDevProducer({ ...request, purpose: 'm2dev' }, all(), MAIN);
    assert.equal(p.daemon?.state, 'found');
    assert.equal(p.daemon?.container, 'ospl-daemon-domain-007');
    assert.match(p.daemon!.path, /support\/docker-compose-domain-007\.yaml$/);
    assert.doesNotMatch(p.file.after!, /ospl-daemon/);
    assert.match(p.commands[0], /up -d salkafka-m2dev$/);
  });

  it('refuses domain 0, a taken name or file, and bad words, with a message', () => {
    assert.throws(() => planDevProducer({ ...request, domainId: 0 }, withoutEas(), MAIN), (e: Error) => e instanceof DevRequestError && /0 is production/.test(e.message));
    assert.throws(() => planDevProducer({ ...request, purpose: 'eas' }, all(), MAIN), /salkafka-eas is already defined/);
    assert.throws(() => planDevProducer({ ...request, purpose: 'x; rm -rf /' }, withoutEas(), MAIN), /short lower-case word/);
    assert.throws(() => planDevProducer({ ...request, cscs: ['MTM2$(id)'] }, withoutEas(), MAIN), /not a CSC name/);
    assert.throws(() => planDevProducer({ ...request, expires: 'soon' }, withoutEas(), MAIN), /YYYY-MM-DD/);
    assert.throws(() => planDevProducer({ ...request, idlDir: 'relative dir' }, withoutEas(), MAIN), /absolute host path/);
  });

  it('a development IDL directory is mounted where the 2021 images read ts_idl', () => {
    const p = planDevProducer({ ...request, idlDir: '${TS_IDL_DIRECTORY}' }, withoutEas(), MAIN);
    assert.ok(p.file.after!.includes('- ${TS_IDL_DIRECTORY}:/opt/lsst/software/stack/miniconda/lib/python3.7/idl'));
  });

  it('daemon images follow the producer image', () => {
    assert.equal(daemonImage('ts-dockerhub.lsst.org/salkafka:c0021'), 'ts-dockerhub.lsst.org/ospl-daemon:c0021');
    assert.equal(daemonImage('salkafka-sim:test'), 'ospl-daemon-sim:test');
  });
});

describe('development producers: take down', () => {
  it('own file with producer and planned daemon: the file is deleted, both containers stopped with the grace period', () => {
    const p = planDevProducer(request, withoutEas(), MAIN);
    const created: ParsedComposeFile = { path: p.file.path, text: p.file.after!, model: parseCompose(p.file.after!, { variables: VARS }) };
    const t = planTakeDown([...withoutEas(), created], created.path, 'salkafka-mtm2', 30);
    assert.equal(t.file.kind, 'delete');
    assert.deepEqual(t.removed, ['salkafka-mtm2', 'ospl-daemon-domain-007']);
    assert.deepEqual(t.commands, ['docker stop -t 30 salkafka-mtm2 ospl-daemon-domain-007', 'docker rm salkafka-mtm2 ospl-daemon-domain-007']);
  });

  it('in the main file: taking it down gives back the main file byte for byte', () => {
    for (const opensplice of ['shared-memory', 'as-production'] as const) {
      const files = withoutEas();
      const p = planDevProducer({ ...request, target: 'main-file', opensplice }, files, MAIN);
      assert.equal(p.file.kind, 'modify');
      const after = reparse(files[0], p.file.after!);
      assert.deepEqual(after.model.services.slice(-1 - (opensplice === 'shared-memory' ? 1 : 0)).map((s) => s.name)[0], 'salkafka-mtm2');
      const t = planTakeDown([after, files[1]], MAIN, 'salkafka-mtm2', 10);
      assert.equal(t.file.kind, 'modify');
      assert.equal(t.file.after, files[0].text, opensplice);
    }
  });

  it('a daemon another development producer of the domain uses stays', () => {
    const files = withoutEas();
    const p1 = planDevProducer({ ...request, target: 'main-file' }, files, MAIN);
    const one = reparse(files[0], p1.file.after!);
    const p2 = planDevProducer({ ...request, purpose: 'hexapod', cscs: ['MTHexapod:1'], target: 'own-file' }, [one, files[1]], MAIN);
    assert.equal(p2.daemon?.state, 'found');
    const second: ParsedComposeFile = { path: p2.file.path, text: p2.file.after!, model: parseCompose(p2.file.after!, { variables: VARS }) };
    const t = planTakeDown([one, second, files[1]], MAIN, 'salkafka-mtm2', 10);
    assert.deepEqual(t.removed, ['salkafka-mtm2']);
    assert.match(t.notes[0], /ospl-daemon-domain-007 stays: salkafka-hexapod uses domain 7/);
  });

  it('refuses production producers', () => {
    assert.throws(() => planTakeDown(withoutEas(), MAIN, 'salkafka-m2', 10), /not a development producer/);
  });
});
