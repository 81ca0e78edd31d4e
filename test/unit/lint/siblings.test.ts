import { strict as assert } from 'assert';
import { readdirSync, readFileSync } from 'fs';
import { join } from 'path';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { COMPOSE_FILE_NAME, diagnosticsFromSiblings, siblingDiagnostics } from '../../../src/core/lint/siblings';

const DIR = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'real-shapes', 'summit-layout', 'summit', 'kafka_writers');
const vars = { CYCLE_EAS: 'c0021', DOMAINID_EAS: '7', CYCLE_AUXTEL: 'c0017', DOMAINID_AUXTEL: '2', CYCLE_LATISS: 'c0017', DOMAINID_LATISS: '1' };
const file = (path: string, text: string) => ({ path, model: parseCompose(text, { variables: vars }) });
const producer = (name: string, container: string, csc: string, domain = '7') =>
  `  ${name}:\n    container_name: ${container}\n    environment:\n      - LSST_DDS_DOMAIN_ID=${domain}\n      - BROKER_IP=k\n      - BROKER_PORT=1\n      - REGISTRY_ADDR=http://r\n      - CSC_LIST=${csc}\n`;

describe('sibling compose files of one directory (one compose project)', () => {
  it('only compose files count as siblings, not a --file topic split file beside them', () => {
    assert.deepEqual(readdirSync(DIR).filter((n) => COMPOSE_FILE_NAME.test(n)).sort(), ['docker-compose-eas.yaml', 'docker-compose.yaml']);
    assert.ok(!COMPOSE_FILE_NAME.test('m1m3.yaml'));
  });

  it('salkafka-eas in docker-compose.yaml and docker-compose-eas.yaml (summit, 2021): a finding on both', () => {
    const files = ['docker-compose.yaml', 'docker-compose-eas.yaml'].map((n) => file(`/site/summit/kafka_writers/${n}`, readFileSync(join(DIR, n), 'utf8')));
    const found = siblingDiagnostics(files);
    for (const f of files) {
      const d = found.get(f.path)!;
      assert.deepEqual(d.map((x) => [x.code, x.severity, f.model.text.slice(x.range.start, x.range.end)]), [['service-in-sibling-file', 'warning', 'salkafka-eas']]);
    }
    assert.match(found.get(files[0].path)![0].message, /also defined in docker-compose-eas\.yaml line 8/);
  });

  it('one file against its siblings\' texts, as the CLI and the editor call it', () => {
    const self = file('/d/docker-compose.yaml', readFileSync(join(DIR, 'docker-compose.yaml'), 'utf8'));
    const d = diagnosticsFromSiblings(self, [{ path: '/d/docker-compose-eas.yaml', text: readFileSync(join(DIR, 'docker-compose-eas.yaml'), 'utf8') }], vars);
    assert.deepEqual(d.map((x) => x.code), ['service-in-sibling-file']);
  });

  it('files in different directories, or with different project names, are not siblings', () => {
    const a = `services:\n${producer('salkafka-eas', 'salkafka-eas', 'DIMM')}`;
    assert.deepEqual([...siblingDiagnostics([file('/a/docker-compose.yaml', a), file('/b/docker-compose.yaml', a)]).values()].flat(), []);
    const named = (n: string) => `name: ${n}\n${a}`;
    assert.deepEqual([...siblingDiagnostics([file('/a/x.yaml', named('one')), file('/a/y.yaml', named('two'))]).values()].flat(), []);
  });

  it('the same container_name under two service names: the second up fails, an error on both', () => {
    const found = siblingDiagnostics([
      file('/a/docker-compose.yaml', `services:\n${producer('salkafka-test', 'salkafka-eas', 'Test')}`),
      file('/a/docker-compose-eas.yaml', `services:\n${producer('salkafka-eas', 'salkafka-eas', 'DIMM')}`),
    ]);
    assert.deepEqual([...found.values()].map((d) => d.map((x) => [x.code, x.severity])), [[['container-name-conflict', 'error']], [['container-name-conflict', 'error']]]);
  });

  it('two producers of two files writing one CSC on the same data path double-write; on another domain they do not', () => {
    const same = siblingDiagnostics([
      file('/a/docker-compose.yaml', `services:\n${producer('salkafka-eas', 'salkafka-eas', 'DIMM ESS')}`),
      file('/a/docker-compose-dimm.yaml', `services:\n${producer('salkafka-dimm', 'salkafka-dimm', 'DIMM')}`),
    ]);
    assert.deepEqual(same.get('/a/docker-compose.yaml')!.map((x) => x.code), ['csc-in-multiple-producers']);
    const other = siblingDiagnostics([
      file('/a/docker-compose.yaml', `services:\n${producer('salkafka-eas', 'salkafka-eas', 'DIMM ESS')}`),
      file('/a/docker-compose-dimm.yaml', `services:\n${producer('salkafka-dimm', 'salkafka-dimm', 'DIMM', '3')}`),
    ]);
    assert.deepEqual([...other.values()].flat(), []);
  });
});
