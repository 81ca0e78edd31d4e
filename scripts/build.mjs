// Bundles the extension and the salkafka-lint CLI with esbuild.
// ssh2 tries optional native add-ons (cpu-features, sshcrypto.node) inside try/catch and
// falls back to pure JS, so they stay external and the bundle runs anywhere.
import * as esbuild from 'esbuild';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';

const production = process.argv.includes('--production');
const watch = process.argv.includes('--watch');

/** dockerode's BuildKit support (grpc-js, protobufjs) is never used: see src/shims/noBuildKit.ts. */
const withoutBuildKit = {
  name: 'dockerode-without-buildkit',
  setup(build) {
    build.onResolve({ filter: /^\.\/(session|buildkit)$/ }, (args) =>
      /[\\/]dockerode[\\/]lib$/.test(args.resolveDir) ? { path: new URL('../src/shims/noBuildKit.ts', import.meta.url).pathname } : undefined,
    );
  },
};

/** The main bundle loads dist/remote.js and dist/lint.js lazily: keep those requires as written. */
const remoteStaysSeparate = {
  name: 'remote-stays-separate',
  setup(build) {
    build.onResolve({ filter: /^\.\/(remote|lint)\.js$/ }, (args) => ({ path: args.path, external: true }));
  },
};

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
  plugins: [withoutBuildKit, remoteStaysSeparate],
};

const builds = [
  { ...common, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js' },
  { ...common, entryPoints: ['src/remote.ts'], outfile: 'dist/remote.js' },
  { ...common, entryPoints: ['src/core/lint/lint.ts'], outfile: 'dist/lint.js' },
  // The checker again, as a worker thread's entry: large documents are linted off the main thread.
  { ...common, entryPoints: ['src/core/lint/worker/lintWorker.ts'], outfile: 'dist/lintWorker.js' },
  // `node --`: otherwise Node itself takes the CLI's `--env-file FILE` (nodejs/node#54232) and
  // stops with its own "node: FILE: not found", exit 9, before salkafka-lint runs.
  { ...common, entryPoints: ['src/cli/salkafka-lint.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env -S node --' } },
];

/**
 * schemas/kafka-writers.schema.json is generated from the same structural spec our validator
 * uses (src/core/compose/composeSpec.ts), so Red Hat YAML users get the same structure rules.
 */
async function writeJsonSchema() {
  const out = await esbuild.build({
    stdin: {
      contents: "import { composeFileSpec } from './src/core/compose/composeSpec'; import { kafkaWritersJsonSchema } from './src/core/compose/jsonSchema'; module.exports = kafkaWritersJsonSchema(composeFileSpec);",
      resolveDir: '.',
      loader: 'ts',
    },
    bundle: true,
    platform: 'node',
    format: 'cjs',
    write: false,
  });
  const mod = { exports: {} };
  new Function('module', 'exports', 'require', out.outputFiles[0].text)(mod, mod.exports, () => ({}));
  mkdirSync('schemas', { recursive: true });
  writeFileSync('schemas/kafka-writers.schema.json', JSON.stringify(mod.exports, null, 2) + '\n');
}

// A production build starts from an empty dist/ so no stale source map is packaged.
if (production) rmSync('dist', { recursive: true, force: true });
await writeJsonSchema();

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
