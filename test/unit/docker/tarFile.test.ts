// The tar reader against archives written by GNU tar itself (the format Docker's archive
// endpoint uses is the same ustar/pax family).
import { strict as assert } from 'assert';
import { execFileSync } from 'child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'fs';
import { tmpdir } from 'os';
import { join } from 'path';
import { firstFileInTar } from '../../../src/core/docker/tarFile';

describe('firstFileInTar (archives from GNU tar)', () => {
  let dir: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'tarfile-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  const make = (format: string, rel: string, content: Buffer): Buffer => {
    mkdirSync(join(dir, rel, '..'), { recursive: true });
    writeFileSync(join(dir, rel), content);
    const out = join(dir, `${format}.tar`);
    execFileSync('tar', ['-C', dir, `--format=${format}`, '-cf', out, rel]);
    return readFileSync(out);
  };

  for (const format of ['ustar', 'gnu', 'pax']) {
    it(`${format}: a short name, an empty file and a file over one block`, () => {
      const big = Buffer.from('<SALSubsystemSet>' + 'x'.repeat(5000) + '</SALSubsystemSet>\n');
      const f = firstFileInTar(make(format, 'SALSubsystems.xml', big))!;
      assert.equal(f.name, 'SALSubsystems.xml');
      assert.ok(f.content.equals(big));
      assert.equal(firstFileInTar(make(format, 'empty.py', Buffer.alloc(0)))!.content.length, 0);
    });
  }

  it('gnu and pax: a path longer than the 100 bytes of the header (real site-packages paths are)', () => {
    const rel = 'opt/lsst/software/stack/conda/lib/python3.11/site-packages/lsst/ts/xml/data/sal_interfaces/a-much-longer-name-than-fits/SALSubsystems.xml';
    assert.ok(rel.length > 100);
    for (const format of ['gnu', 'pax']) assert.equal(firstFileInTar(make(format, rel, Buffer.from('x')))!.name, rel, format);
  });

  it('a truncated archive is an error, not a short file; no file at all is undefined', () => {
    const tar = make('ustar', 'SALSubsystems.xml', Buffer.alloc(3000, 65));
    assert.throws(() => firstFileInTar(tar.subarray(0, 1024)), /truncated tar archive/);
    assert.equal(firstFileInTar(Buffer.alloc(1024)), undefined);
  });
});
