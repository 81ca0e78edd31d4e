import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { readFileSync } from 'fs';
import { join } from 'path';

const ROOT = join(__dirname, '..', '..', '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8'));

describe('extension package', () => {
  it('the .vsix holds the bundles, CLI, schema, webview assets and docs, and no sources, tests, maps or screenshots', function () {
    this.timeout(60_000);
    const files = execFileSync(process.execPath, [join(ROOT, 'node_modules', '@vscode', 'vsce', 'vsce'), 'ls', '--no-dependencies'], { cwd: ROOT, encoding: 'utf8' })
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean);
    for (const f of ['dist/extension.js', 'dist/remote.js', 'dist/lint.js', 'dist/lintWorker.js', 'dist/cli.js', 'schemas/kafka-writers.schema.json', 'package.json', 'README.md', 'CHANGELOG.md', 'LICENSE']) {
      assert.ok(files.includes(f), `${f} missing from the package: ${files.join(', ')}`);
    }
    const leaked = files.filter((f) => /^(src|test|bench|out|scripts|node_modules|\.test-host|\.cache)\//.test(f) || f.endsWith('.map') || f.endsWith('.ts') || /^media\/screenshot/.test(f));
    assert.deepEqual(leaked, []);
  });

  it('is named efd-salkafka / "EFD SAL Kafka", activates narrower than "*", and ships the salkafka-lint bin', () => {
    assert.equal(pkg.name, 'efd-salkafka');
    assert.equal(pkg.displayName, 'EFD SAL Kafka');
    assert.ok(!pkg.activationEvents.includes('*'));
    assert.equal(pkg.bin['salkafka-lint'], './dist/cli.js');
    assert.equal(pkg.main, './dist/extension.js');
  });

  it('every contributed command has the EFD SAL Kafka category and a unique id', () => {
    const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(pkg.contributes.commands.every((c: { category: string }) => c.category === 'EFD SAL Kafka'));
  });
});
