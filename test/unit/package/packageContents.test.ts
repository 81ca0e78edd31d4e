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
    // Every file package.json points at (marketplace icon, walkthrough pages) is in the package.
    const walkthroughMedia = (pkg.contributes.walkthroughs ?? []).flatMap((w: { steps: { media: { markdown?: string; image?: string } }[] }) => w.steps.map((s) => s.media.markdown ?? s.media.image));
    for (const f of [pkg.icon, ...walkthroughMedia]) assert.ok(files.includes(f), `${f} (referenced by package.json) missing from the package: ${files.join(', ')}`);
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

  it('has the marketplace fields and a 128×128 PNG icon', () => {
    assert.equal(pkg.icon, 'media/icon.png');
    const png = readFileSync(join(ROOT, pkg.icon));
    assert.equal(png.subarray(0, 8).toString('hex'), '89504e470d0a1a0a', 'not a PNG');
    assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128], 'IHDR width × height');
    assert.match(pkg.galleryBanner.color, /^#[0-9a-f]{6}$/i);
    assert.match(pkg.homepage, /^https:\/\//);
    assert.match(pkg.bugs.url, /^https:\/\/.*\/issues$/);
  });

  it('declares where it runs and what it does without trust: workspace side, limited in Restricted Mode and virtual workspaces', () => {
    assert.deepEqual(pkg.extensionKind, ['workspace']);
    assert.equal(pkg.capabilities.untrustedWorkspaces.supported, 'limited');
    assert.equal(pkg.capabilities.virtualWorkspaces.supported, 'limited');
    const restricted: string[] = pkg.capabilities.untrustedWorkspaces.restrictedConfigurations;
    // A workspace must not be able to redirect where we connect or what counts as production.
    for (const key of ['host', 'producerHosts', 'transport', 'sshConfigFile', 'composeFile', 'production.hosts', 'enableHotAdd']) assert.ok(restricted.includes(`efdSalkafka.${key}`), key);
    for (const key of restricted) assert.ok(pkg.contributes.configuration.properties[key], `${key} is not a setting`);
  });

  it('the walkthrough steps use contributed commands and exist as files', () => {
    const ids = new Set(pkg.contributes.commands.map((c: { command: string }) => c.command));
    const steps = pkg.contributes.walkthroughs[0].steps as { id: string; description: string; media: { markdown: string } }[];
    assert.deepEqual(steps.map((s) => s.id), ['pickHost', 'checkDocker', 'openCompose', 'seeProducers']);
    for (const s of steps) {
      for (const m of s.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(ids.has(m[1]) || m[1].startsWith('workbench.'), `${m[1]} is not a contributed command`);
      assert.ok(readFileSync(join(ROOT, s.media.markdown), 'utf8').startsWith('# '), s.media.markdown);
    }
  });

  it('every contributed command has the EFD SAL Kafka category and a unique id', () => {
    const ids = pkg.contributes.commands.map((c: { command: string }) => c.command);
    assert.equal(new Set(ids).size, ids.length);
    assert.ok(pkg.contributes.commands.every((c: { category: string }) => c.category === 'EFD SAL Kafka'));
  });
});
