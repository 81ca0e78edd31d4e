import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DIAGNOSTIC_CODES } from '../../../src/core/lint/diagnostic';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

  it('documents every diagnostic code with its severity', () => {
    for (const [code, { severity }] of Object.entries(DIAGNOSTIC_CODES)) {
      assert.match(readme, new RegExp(`\\| \`${code}\` \\| ${severity} \\|`), `README lacks the row for ${code}`);
    }
  });

  it('gives the two commands for a fresh machine', () => {
    assert.match(readme, /^npm start\b/m);
    assert.match(readme, /^npm test\b/m);
  });
});
