import { strict as assert } from 'assert';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { discoverEnvSync } from '../../../src/core/compose/envDiscovery';
import { parseCompose } from '../../../src/core/compose/parseCompose';
import { hover } from '../../../src/core/language/hover';

const LAYOUT = join(__dirname, '..', '..', '..', '..', 'test', 'fixtures', 'real-shapes', 'summit-layout');
const reader = {
  readText: (p: string) => (existsSync(p) ? readFileSync(p, 'utf8') : undefined),
  exists: (p: string) => existsSync(p),
};

describe('hover on a ${VAR} names its env file and the env files used', () => {
  let root: string;
  let text: string;
  let at: (needle: string) => string;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'salkafka-hover-'));
    cpSync(LAYOUT, root, { recursive: true });
    mkdirSync(join(root, '.git'));
    const path = join(root, 'summit', 'kafka_writers', 'docker-compose.yaml');
    text = readFileSync(path, 'utf8');
    const env = discoverEnvSync(path, text, reader, { settingNames: ['setup.env'] });
    const model = parseCompose(text, { variables: env.variables });
    at = (needle) => hover(model, text.indexOf(needle) + 2, defaultCatalogue(), { env })!.markdown;
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('a value from the parent directory\'s setup_kp.env', () => {
    const md = at('${CYCLE_AUXTEL}');
    assert.match(md, /\*\*CYCLE_AUXTEL\*\* = `c0017` from `\.\.\/setup_kp\.env`/);
    assert.match(md, /- `\.\.\/setup\.env` \(named in the file's header\)\n- `\.\.\/setup_kp\.env` \(named in the file's header\)/);
  });

  it('${PWD} is the shell\'s: the file\'s directory', () => {
    assert.match(at('${PWD}'), /set by the shell that runs docker-compose \(the file's directory, `.*\/summit\/kafka_writers`\)/);
  });

  it('without env information (older callers) a ${VAR} has no hover of its own', () => {
    const model = parseCompose(text, {});
    assert.equal(hover(model, text.indexOf('${CYCLE_AUXTEL}') + 2, defaultCatalogue()), undefined);
  });
});
