import { strict as assert } from 'assert';
import { readFileSync } from 'fs';
import { join } from 'path';
import { DIAGNOSTIC_CODES } from '../../../src/core/lint/registry';

describe('README', () => {
  const readme = readFileSync(join(__dirname, '..', '..', '..', '..', 'README.md'), 'utf8');

  it('has one row per diagnostic code, each exactly as its rule declares it (severity and summary)', () => {
    // The rows of the code table: | `code` | severity | summary |
    const rows = [...readme.matchAll(/^\| `([a-z0-9-]+)` \| (\w+) \| (.*) \|$/gm)];
    const declared = Object.entries(DIAGNOSTIC_CODES);
    const expected = (code: string, severity: string, summary: string) => `| \`${code}\` | ${severity} | ${summary} |`;
    for (const [code, { severity, summary }] of declared) {
      const row = rows.find((r) => r[1] === code);
      assert.ok(row, `README lacks the row for ${code}; add:\n${expected(code, severity, summary)}`);
      assert.equal(row[0], expected(code, severity, summary), `README row for ${code} differs from its declaration in src/core/lint/rules/ (or registry.ts)`);
    }
    const extra = rows.map((r) => r[1]).filter((c) => !(c in DIAGNOSTIC_CODES));
    assert.deepEqual(extra, [], 'README rows for codes no rule declares');
    assert.equal(rows.length, declared.length, 'a code has two rows');
  });

  it('gives the two commands for a fresh machine', () => {
    assert.match(readme, /^npm start\b/m);
    assert.match(readme, /^npm test\b/m);
  });
});
