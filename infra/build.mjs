#!/usr/bin/env node
// Builds what production runs: the server as one ES module (dist/server.mjs), dependencies left in
// node_modules. Plain `node` on a bundle starts faster and holds ~70 MB less than the same sources
// loaded through tsx one file at a time; CPU per message is the same (README, performance).
// `--bench` builds the benchmarks the same way (dist/bench.mjs), so they measure this artifact;
// `--outdir=DIR` builds elsewhere (a directory inside the project: the server finds the project
// from its own location).
import { build } from 'esbuild';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));

const entryPoints = { server: join(root, 'hosts/server/main.ts') };
if (process.argv.includes('--bench')) entryPoints.bench = join(root, 'infra/bench/main.ts');

// `--no-keep-names`: for measuring what keeping names costs (infra/bench/bundleVsTsx.sh)
const keepNames = !process.argv.includes('--no-keep-names');
const outdir = process.argv.find((a) => a.startsWith('--outdir='))?.slice('--outdir='.length) ?? join(root, 'dist');

await build({
  entryPoints,
  outdir,
  outExtension: { '.js': '.mjs' },
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  // node_modules stay as they are: native addons, wasm and data files load from their packages
  packages: 'external',
  // class and function names survive bundling: errors and logs name them
  keepNames,
  sourcemap: 'linked',
  logLevel: 'warning',
});
