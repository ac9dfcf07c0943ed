import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The project directory — the nearest one above `from` holding package.json — where `scenarios/`
 * and `admin/dist/` live. Found by walking up rather than by a fixed `../..`, because the same code
 * runs from its sources (hosts/platform/) and from the production bundle (dist/server.mjs).
 */
export function projectRoot(from: string | URL): string {
  let dir = dirname(fileURLToPath(from));
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${fileURLToPath(from)}`);
    dir = parent;
  }
  return dir;
}

export const ROOT_DIR = projectRoot(import.meta.url);
