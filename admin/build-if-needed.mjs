#!/usr/bin/env node
// Builds the admin panel (admin/dist) when it is missing or older than its sources, so
// `npm start` and the browser tests always serve a current panel without rebuilding every time.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = dirname(here);
const dist = join(here, 'dist', 'index.html');
const sources = [join(here, 'src'), join(here, 'index.html'), join(here, 'vite.config.ts')];

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let max = st.mtimeMs;
  for (const name of readdirSync(path)) {
    if (name.endsWith('.test.ts')) continue;
    max = Math.max(max, newest(join(path, name)));
  }
  return max;
}

export function needsBuild() {
  if (!existsSync(dist)) return true;
  const built = statSync(dist).mtimeMs;
  return sources.some((s) => newest(s) > built);
}

export function buildIfNeeded({ force = false } = {}) {
  if (!force && !needsBuild()) return false;
  const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
  const result = spawnSync(
    process.execPath,
    [vite, 'build', '--config', join(here, 'vite.config.ts'), '--logLevel', 'warn'],
    { cwd: root, stdio: 'inherit' },
  );
  if (result.status !== 0) throw new Error(`admin build failed (exit ${result.status})`);
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    const built = buildIfNeeded({ force: process.argv.includes('--force') });
    console.log(built ? 'admin panel built into admin/dist' : 'admin panel is up to date (admin/dist)');
  } catch (error) {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  }
}
