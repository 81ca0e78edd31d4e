import { strict as assert } from 'assert';
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { run } from '../../../src/cli/run';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { lintCompose } from '../../../src/core/lint/lint';
import { siblingDiagnostics } from '../../../src/core/lint/siblings';
import { detectFileKind, valuesEnvironment } from '../../../src/core/values/recognise';

const ROOT = join(__dirname, '..', '..', '..', '..');
const SUMMIT_2021 = join(ROOT, 'test', 'fixtures', 'real-shapes', 'summit-2021');
const catalogue = defaultCatalogue();

/** The CLI on the files of a copy of the 2021 summit tree, as JSON findings. */
function lintTree(edit?: (site: string) => void): { file: string; code: string; severity: string; message: string }[] {
  const dir = mkdtempSync(join(tmpdir(), 'dds-'));
  try {
    cpSync(SUMMIT_2021, dir, { recursive: true });
    mkdirSync(join(dir, '.git'));
    edit?.(join(dir, 'summit'));
    let out = '';
    const kw = join(dir, 'summit', 'kafka_writers');
    const code = run(['--format', 'json', join(kw, 'docker-compose.yaml'), join(kw, 'docker-compose-eas.yaml')], { out: (t) => (out += t), err: () => undefined });
    assert.ok(code === 0 || code === 1, `exit ${code}`);
    return (JSON.parse(out) as { file: string; code: string; severity: string; message: string }[]).map((d) => ({ ...d, file: d.file.split('/').pop()! }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const ddsCodes = <T extends { code: string }>(ds: T[]): T[] => ds.filter((d) => /^(dds-|dev-producer)/.test(d.code));

const producer = (extra: string, env: string[] = []) =>
  `services:\n  salkafka-dev:\n    image: ts-dockerhub.lsst.org/salkafka:c0021\n    environment:\n${['BROKER_IP=k', 'BROKER_PORT=1', 'REGISTRY_ADDR=http://r', 'CSC_LIST=MTM2', ...env].map((e) => `      - ${e}\n`).join('')}${extra}`;
const daemon = (domain: string) =>
  `services:\n  ospl-d:\n    image: ts-dockerhub.lsst.org/ospl-daemon:c0021\n    container_name: ospl-daemon-domain-00${domain}\n    environment:\n      - LSST_DDS_DOMAIN_ID=${domain}\n    ipc: host\n`;
const file = (path: string, text: string, variables = {}) => ({ path, model: parseCompose(text, { variables }) });

describe('DDS domains of producers (checker)', () => {
  it('the 2021 summit layout as the operators used it: no DDS finding (the domain-7 daemon is in support/)', () => {
    const found = lintTree();
    assert.deepEqual(ddsCodes(found), []);
    // The tree was read: the known finding about salkafka-eas in both files is there.
    assert.ok(found.some((d) => d.code === 'service-in-sibling-file' && d.file === 'docker-compose-eas.yaml'));
  });

  it('without support/docker-compose-domain-007.yaml, salkafka-eas (ipc: host, domain 7) has no daemon: an error naming the domain', () => {
    const found = ddsCodes(lintTree((site) => rmSync(join(site, 'support', 'docker-compose-domain-007.yaml'))));
    assert.deepEqual(found.map((d) => [d.file, d.code, d.severity]), [['docker-compose-eas.yaml', 'dds-daemon-missing', 'error']]);
    assert.match(found[0].message, /salkafka-eas attaches to OpenSplice shared memory on the host \(ipc: host\) on DDS domain 7, and no OpenSplice daemon for domain 7 is defined in this directory, \.\.\/support\//);
    assert.match(found[0].message, /ospl-daemon-domain-007/);
  });

  it('a daemon of another domain does not count', () => {
    const found = ddsCodes(lintTree((site) => {
      const p = join(site, 'support', 'docker-compose-domain-007.yaml');
      writeFileSync(p, readFileSync(p, 'utf8').replace(/\$\{DOMAINID_EAS\}/g, '8'));
    }));
    assert.deepEqual(found.map((d) => d.code), ['dds-daemon-missing']);
  });

  it('no ipc: host (OpenSplice started inside the container), or domain 0: no daemon needed', () => {
    const d = (text: string) => siblingDiagnostics([file('/s/kw/docker-compose.yaml', text)]).get('/s/kw/docker-compose.yaml')!;
    assert.deepEqual(d(producer('', ['LSST_DDS_DOMAIN_ID=7'])), []);
    assert.deepEqual(d(producer('    ipc: host\n', ['LSST_DDS_DOMAIN_ID=0'])), []);
    assert.deepEqual(d(producer('    ipc: host\n')), []);
    assert.deepEqual(d(producer('    ipc: host\n', ['LSST_DDS_DOMAIN_ID=7'])).map((x) => x.code), ['dds-daemon-missing']);
  });

  it('a daemon in the same file or a sibling file counts; one whose domain is an unset variable silences the rule', () => {
    const p = producer('    ipc: host\n', ['LSST_DDS_DOMAIN_ID=7']);
    const own = siblingDiagnostics([file('/s/kw/a.yaml', p + daemon('7').replace('services:\n', ''))]);
    assert.deepEqual(own.get('/s/kw/a.yaml'), []);
    const sib = siblingDiagnostics([file('/s/kw/docker-compose.yaml', p), file('/s/support/docker-compose-domain-007.yaml', daemon('7'))]);
    assert.deepEqual(sib.get('/s/kw/docker-compose.yaml'), []);
    const unset = siblingDiagnostics([file('/s/kw/docker-compose.yaml', p), file('/s/support/d.yaml', daemon('${NOPE}'))]);
    assert.deepEqual(unset.get('/s/kw/docker-compose.yaml'), []);
  });

  it('LSST_DDS_DOMAIN_NAME numbered for another domain than LSST_DDS_DOMAIN_ID: a warning on the name', () => {
    const r = lintCompose(producer('', ['LSST_DDS_DOMAIN_ID=8', 'LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi_7']), { catalogue });
    const d = ddsCodes(r.diagnostics);
    assert.deepEqual(d.map((x) => [x.code, x.severity, r.model.text.slice(x.range.start, x.range.end)]), [['dds-domain-mismatch', 'warning', 'ospl_sp_ddsi_7']]);
    assert.match(d[0].message, /names domain 7, but LSST_DDS_DOMAIN_ID is 8/);
    for (const ok of [['LSST_DDS_DOMAIN_ID=7', 'LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi_7'], ['LSST_DDS_DOMAIN_ID=7', 'LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi'], ['LSST_DDS_DOMAIN_ID=7'], ['LSST_DDS_DOMAIN_ID=${X}', 'LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi_7']]) {
      assert.deepEqual(ddsCodes(lintCompose(producer('', ok), { catalogue }).diagnostics), [], ok.join(' '));
    }
    // The 2021 spelling, through variables.
    const v = lintCompose(producer('', ['LSST_DDS_DOMAIN_ID=${DOMAINID_EAS}', 'LSST_DDS_DOMAIN_NAME=ospl_sp_ddsi_${DOMAINID_EAS}']), { catalogue, variables: { DOMAINID_EAS: '7' } });
    assert.deepEqual(ddsCodes(v.diagnostics), []);
  });

  it('a development producer past its expiry label: information; before it, or without labels: nothing', () => {
    const labels = (expires: string) => `    labels:\n      org.lsst.efd.salkafka.owner: mreuter\n      org.lsst.efd.salkafka.purpose: m2-integration\n      org.lsst.efd.salkafka.expires: "${expires}"\n`;
    const nowMs = Date.parse('2021-12-01T12:00:00Z');
    const late = lintCompose(producer(labels('2021-11-30'), ['LSST_DDS_DOMAIN_ID=7']), { catalogue, nowMs });
    const d = ddsCodes(late.diagnostics);
    assert.deepEqual(d.map((x) => [x.code, x.severity]), [['dev-producer-expired', 'info']]);
    assert.match(d[0].message, /salkafka-dev \(owner mreuter, for m2-integration\) expired 12 h ago \(2021-11-30\)/);
    assert.deepEqual(ddsCodes(lintCompose(producer(labels('2021-12-01'), []), { catalogue, nowMs }).diagnostics), [], 'a bare date runs to the end of that day');
    assert.deepEqual(ddsCodes(lintCompose(producer('    labels:\n      - org.lsst.efd.salkafka.expires=2021-11-01\n'), { catalogue, nowMs }).diagnostics).map((x) => x.code), ['dev-producer-expired'], 'list form');
    assert.deepEqual(ddsCodes(lintCompose(producer(''), { catalogue, nowMs }).diagnostics), []);
  });

  it('the chart\'s values_separate_dds_domain.yaml (lsst-ts/charts, 2020) is a values file, merged over values.yaml', () => {
    const text = 'env:\n  lsstDdsDomain:\n    separate: true\n    eas: eas\n    test: test\n';
    assert.equal(detectFileKind('charts/kafka-producers/values_separate_dds_domain.yaml', text), 'helmValues');
    assert.equal(detectFileKind('charts/kafka-producers/values-separate-dds-domain.yaml', text), 'helmValues');
    assert.equal(valuesEnvironment('kafka-producers/values_separate_dds_domain.yaml'), 'separate_dds_domain');
    assert.equal(detectFileKind('kafka_writers/docker-compose.yaml', 'services: {}\n'), 'compose');
  });
});
