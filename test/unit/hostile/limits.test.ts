import { strict as assert } from 'assert';
import { mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'fs';
import { spawnSync } from 'child_process';
import { tmpdir } from 'os';
import { join } from 'path';
import { parseDocument } from 'yaml';
import { forTerminal } from '../../../src/cli/format';
import { LIMITS, nameList } from '../../../src/core/compose/analysisLimits';
import type { CscToken, ServiceModel } from '../../../src/core/compose/model';
import { parseCompose, parseYamlDocument } from '../../../src/core/compose/parseCompose';
import { defaultCatalogue } from '../../../src/core/catalogue/defaultCatalogue';
import { readRegularFile, readRegularFileSync, readStreamCappedSync } from '../../../src/core/files/boundedRead';
import { CscUse, forEachOverlap } from '../../../src/core/lint/rules/cscOverlaps';
import { fixture, lint } from '../compose/helpers';
import { prng } from '../prng';

describe('analysis limits', () => {
  describe('duplicate keys without the parser\'s quadratic check', () => {
    const KEYS = ['a', 'b', '1', '"1"', "'a'", '~', 'null', '<<', '&x a', '!!str b', '? c', '1.0', '.nan', 'true', 'y'];
    it('gives the same errors as yaml with uniqueKeys on 2,000 random documents and the fixtures', () => {
      const rnd = prng(0xd0b1e);
      const texts = [fixture('legacy.yaml'), fixture('summit.yaml')];
      for (let n = 0; n < 2000; n++) {
        const lines: string[] = [];
        for (let i = 1 + Math.floor(rnd() * 8); i > 0; i--) {
          const indent = rnd() < 0.3 ? '  ' : '';
          const k = KEYS[Math.floor(rnd() * KEYS.length)];
          lines.push(rnd() < 0.2 ? `${indent}f: {${k}: 1, ${KEYS[Math.floor(rnd() * KEYS.length)]}: 2}` : `${indent}${k}: ${rnd() < 0.3 ? '' : 'v'}`);
        }
        texts.push(lines.join('\n') + '\n');
      }
      let samePlace = 0;
      let duplicates = 0;
      for (const text of texts) {
        const theirs = parseDocument(text, { uniqueKeys: true, prettyErrors: false, merge: true }).errors;
        const ours = parseYamlDocument(text).errors;
        // Every other error exactly as the parser gives it, in the same order.
        const other = (e: { code: string }) => e.code !== 'DUPLICATE_KEY';
        assert.deepEqual(ours.filter(other).map((e) => [e.code, e.pos, e.message]), theirs.filter(other).map((e) => [e.code, e.pos, e.message]), text);
        // The same duplicates, each at its key (the parser sometimes points just before it).
        const t = theirs.filter((e) => !other(e));
        const o = ours.filter((e) => !other(e));
        assert.equal(o.length, t.length, text);
        o.forEach((e, i) => {
          assert.equal(e.message, t[i].message);
          assert.ok(e.pos[0] >= t[i].pos[0] && !/[\n]/.test(text.slice(t[i].pos[0] + 1, e.pos[0])), `${text}\nours ${e.pos} theirs ${t[i].pos}`);
          assert.match(text.slice(e.pos[0]), /^[^\s:,{}]|^:/);
          duplicates++;
          if (e.pos[0] === t[i].pos[0]) samePlace++;
        });
      }
      assert.ok(duplicates > 500, `only ${duplicates} duplicates generated`);
      assert.ok(samePlace / duplicates > 0.5, `${samePlace} of ${duplicates} at the parser's place`);
    });

    it('an environment of 40,000 keys parses in linear time (the parser took 34 s)', () => {
      const text = 'services:\n  x:\n    environment:\n' + Array.from({ length: 40_000 }, (_, i) => `      K${i % 39_999}: v`).join('\n') + '\n';
      const doc = parseYamlDocument(text);
      assert.deepEqual(doc.errors.map((e) => e.code), ['DUPLICATE_KEY']);
    });
  });

  describe('cross-producer overlaps', () => {
    it('count and name the same producers as comparing every pair did', () => {
      const rnd = prng(0x0e7);
      for (let run = 0; run < 300; run++) {
        const services = Array.from({ length: 1 + Math.floor(rnd() * 8) }, (_, i) => ({ name: `s${i}` }) as ServiceModel);
        const uses: CscUse[] = [];
        for (const service of services) {
          const seen = new Set<string>();
          for (let k = Math.floor(rnd() * 3); k >= 0; k--) {
            const index = rnd() < 0.4 ? undefined : String(1 + Math.floor(rnd() * 3));
            const text = index === undefined ? 'ESS' : `ESS:${index}`;
            if (seen.has(text)) continue;
            seen.add(text);
            uses.push({ service, token: { text, name: 'ESS', index, kind: 'csc', range: { start: 0, end: 0 }, exact: true } as CscToken });
          }
        }
        // The old definition: every other use whose index is compatible.
        const expected = new Map<CscUse, { first: CscUse[]; total: number }>();
        for (const a of uses) {
          const others = uses.filter((b) => b.service !== a.service && (a.token.index === undefined || b.token.index === undefined || a.token.index === b.token.index));
          if (others.length) expected.set(a, { first: others.slice(0, LIMITS.namesPerMessage), total: new Set(others.map((o) => o.service)).size });
        }
        const got = new Map<CscUse, { first: CscUse[]; total: number }>();
        forEachOverlap(uses, (a, first, total) => got.set(a, { first, total }));
        assert.deepEqual(got, expected);
      }
    });

    it('names at most three and counts the rest', () => {
      assert.equal(nameList(['a', 'b'], 2), 'a, b');
      assert.equal(nameList(['a', 'b', 'c', 'd'], 2999), 'a, b, c and 2,996 more');
    });
  });

  describe('diagnostics per file', () => {
    it('at most 1,000 and one more saying how many were left out, with the worst severity', () => {
      const list = Array.from({ length: 1500 }, (_, i) => `Zz${i}`).join(' ');
      const l = lint(`services:\n  salkafka-x:\n    image: salkafka:c0035\n    environment:\n      - BROKER_IP=h\n      - BROKER_PORT=1\n      - REGISTRY_ADDR=http://r\n      - CSC_LIST=${list}\n`);
      assert.equal(l.diagnostics.length, LIMITS.diagnostics + 1);
      const last = l.diagnostics[LIMITS.diagnostics];
      assert.equal(last.code, 'analysis-limit');
      assert.equal(last.severity, 'error');
      assert.match(last.message, /^500 more problems from here on are not shown \(csc-unknown\)/);
      assert.equal(l.text.slice(last.range.start, last.range.end), 'Zz1000');
    });

    it('past the expansion budget: one analysis-limit error on the offending mapping, no guesses', () => {
      const keys = Array.from({ length: 2000 }, (_, i) => `  k${i}: v`).join('\n');
      const services = Array.from({ length: 600 }, (_, i) => `  s${i}:\n    <<: *wide`).join('\n');
      const l = lint(`x-wide: &wide\n${keys}\nservices:\n${services}\n`);
      assert.deepEqual(l.codes, ['analysis-limit']);
      assert.match(l.diagnostics[0].message, /^Not checked completely: Expanding the merge keys \(<<\) of this file needs more than 1,000,000 steps/);
    });

    it('a file over the input limit is not parsed and says so', () => {
      const l = lint('services:\n' + '#'.repeat(LIMITS.inputBytes));
      assert.deepEqual(l.codes, ['analysis-limit']);
      assert.match(l.diagnostics[0].message, /^Not checked: the file is about 2 MiB, larger than the 2 MiB the checker reads/);
    });
  });

  describe('producers view', () => {
    it('a compose file past the expansion budget is an error in the view, not a short list of producers', async () => {
      const { loadProducers } = await import('../../../src/core/producers/loadProducers');
      const { wideMerge } = await import('./cases');
      // A fake host (no Docker needed to read a compose file): no containers, the file as given.
      const fakeHost = (text: string) =>
        ({
          alias: 'fake',
          state: 'connected',
          onDidChangeState: () => ({ dispose() {} }),
          docker: () => ({ listContainers: async () => [] }),
          readCompose: async () => ({ path: '/deploy/docker-compose.yaml', text, variables: {} }),
        }) as unknown as import('../../../src/core/producers/producerHost').ProducerHost;
      const bad = await loadProducers(fakeHost(wideMerge(2000, 600)));
      assert.match(bad.composeError ?? '', /^\/deploy\/docker-compose\.yaml: Not checked completely: Expanding the merge keys/);
      assert.deepEqual(bad.producers, []);
      const good = await loadProducers(fakeHost('services:\n  salkafka-x:\n    environment:\n      - CSC_LIST=MTMount\n'));
      assert.equal(good.composeError, undefined);
      assert.deepEqual(good.producers.map((p) => p.name), ['salkafka-x']);
    });
  });

  describe('bounded file reads', () => {
    let dir: string;
    before(() => {
      dir = mkdtempSync(join(tmpdir(), 'salkafka-read-'));
      writeFileSync(join(dir, 'ok.env'), 'A=1\n');
      writeFileSync(join(dir, 'big.env'), 'x'.repeat(2000));
      spawnSync('mkfifo', [join(dir, 'fifo')]);
      symlinkSync('/dev/zero', join(dir, 'zero'));
    });
    after(() => rmSync(dir, { recursive: true, force: true }));

    it('regular files only, capped, and a FIFO never blocks (sync and async)', async () => {
      assert.equal(readRegularFileSync(join(dir, 'ok.env'), 100).toString(), 'A=1\n');
      assert.equal((await readRegularFile(join(dir, 'ok.env'), 100)).toString(), 'A=1\n');
      for (const read of [(p: string) => readRegularFileSync(p, 1000), (p: string) => readRegularFile(p, 1000)]) {
        await assert.rejects(async () => read(join(dir, 'fifo')), /not a regular file \(a FIFO\)/);
        await assert.rejects(async () => read(join(dir, 'zero')), /not a regular file \(a character device\)/);
        await assert.rejects(async () => read('/dev/urandom'), /not a regular file \(a character device\)/);
        await assert.rejects(async () => read(dir), /not a regular file \(a directory\)/);
        await assert.rejects(async () => read(join(dir, 'big.env')), /larger than 1 KiB/);
        await assert.rejects(async () => read(join(dir, 'none')), { code: 'ENOENT' });
      }
    });

    it('a stream the user named is read, but never more than the cap (/dev/zero ends)', () => {
      assert.throws(() => readStreamCappedSync('/dev/zero', 10_000), /larger than 10 KiB/);
      assert.equal(readStreamCappedSync(join(dir, 'ok.env'), 100).toString(), 'A=1\n');
    });
  });

  describe('terminal escaping', () => {
    it('shows control characters, C1 and bidi overrides as escapes and leaves the rest', () => {
      assert.equal(forTerminal('salkafka-\u001b]0;pwned\u0007\u001b[2J'), 'salkafka-\\x1b]0;pwned\\x07\\x1b[2J');
      assert.equal(forTerminal('a\u202eb\u009bc\u007f'), 'a\\u202eb\\x9bc\\x7f');
      assert.equal(forTerminal('MTMount:1 é 😀 C:\\path'), 'MTMount:1 é 😀 C:\\path');
    });
  });
});
