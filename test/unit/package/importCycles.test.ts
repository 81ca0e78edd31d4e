// The layers stay acyclic: no module of src/ reaches itself through its imports, type-only
// imports included (a type-only circle still says two modules are one piece cut in two).
import * as assert from 'assert';
import * as fs from 'fs';
import * as path from 'path';

const SRC = path.resolve(__dirname, '../../../../src');
const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

function resolveImport(from: string, spec: string): string | undefined {
  const base = path.resolve(path.dirname(from), spec);
  return [`${base}.ts`, path.join(base, 'index.ts')].find((p) => fs.existsSync(p));
}

/** Strongly connected components of more than one module, or a module importing itself (Tarjan). */
export function importCycles(files: readonly string[]): string[][] {
  const edges = new Map<string, string[]>();
  for (const f of files) {
    const text = fs.readFileSync(f, 'utf8');
    edges.set(f, [...text.matchAll(IMPORT)].map((m) => resolveImport(f, m[1])).filter((p): p is string => p !== undefined));
  }
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const out: string[][] = [];
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of edges.get(v) ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || (edges.get(v) ?? []).includes(v)) out.push(scc.map((p) => path.relative(SRC, p)).sort());
    }
  };
  for (const f of files) if (!index.has(f)) visit(f);
  return out;
}

describe('import graph of src/', () => {
  it('has no cycles, type-only imports included', () => {
    const cycles = importCycles(sourceFiles(SRC));
    assert.deepStrictEqual(cycles, [], `import cycles:\n${cycles.map((c) => c.join(' ↔ ')).join('\n')}`);
  });

  it('finds a cycle when there is one (the check itself can fail)', () => {
    const dir = fs.mkdtempSync(path.join(require('os').tmpdir(), 'cycles-'));
    fs.writeFileSync(path.join(dir, 'a.ts'), "import type { B } from './b';\nexport type A = B;\n");
    fs.writeFileSync(path.join(dir, 'b.ts'), "import type { A } from './a';\nexport type B = A | 1;\n");
    fs.writeFileSync(path.join(dir, 'c.ts'), "import type { A } from './a';\nexport type C = A;\n");
    try {
      const cycles = importCycles(['a.ts', 'b.ts', 'c.ts'].map((f) => path.join(dir, f)));
      assert.strictEqual(cycles.length, 1);
      assert.strictEqual(cycles[0].length, 2);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
