// Bundles the extension and the salkafka-lint CLI with esbuild.
// ssh2 tries optional native add-ons (cpu-features, sshcrypto.node) inside try/catch and
// falls back to pure JS, so they stay external and the bundle runs anywhere.
import * as esbuild from 'esbuild';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'cjs',
  sourcemap: !production,
  minify: production,
  external: ['vscode', 'cpu-features', '*.node'],
  logLevel: 'info',
  metafile: true,
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/cli/salkafka-lint.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];

if (watch) {
  for (const b of builds) await (await esbuild.context(b)).watch();
} else {
  const results = await Promise.all(builds.map((b) => esbuild.build(b)));
  for (const r of results) {
    for (const [file, out] of Object.entries(r.metafile.outputs)) {
      if (file.endsWith('.js')) console.log(`${file}: ${(out.bytes / 1024).toFixed(0)} KiB`);
    }
  }
}
