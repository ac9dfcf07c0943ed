import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';

/**
 * The shape every reader relies on: one formatter (Biome, width 120) and small files. A file in
 * `hosts/` or `engine/` that is neither a test nor a testing helper stays within 300 formatted lines.
 */
const MAX_LINES = 300;
const root = new URL('../../', import.meta.url);

function trackedSources(): string[] {
  const out = execFileSync('git', ['ls-files', 'hosts', 'engine'], { cwd: root, encoding: 'utf8' });
  return out.split('\n').filter((f) => /\.(ts|tsx)$/.test(f) && !f.endsWith('.test.ts') && !f.includes('/testing/'));
}

describe('code shape', () => {
  it(`keeps every non-test file in hosts/ and engine/ within ${MAX_LINES} lines`, () => {
    const tooLong = trackedSources()
      .map((f) => ({ f, lines: readFileSync(new URL(f, root), 'utf8').split('\n').length - 1 }))
      .filter(({ lines }) => lines > MAX_LINES);
    expect(tooLong).toEqual([]);
  });

  it('is formatted by Biome (npm run format)', () => {
    const run = () => execFileSync('npx', ['biome', 'format', '.'], { cwd: root, encoding: 'utf8', stdio: 'pipe' });
    expect(run).not.toThrow();
  });
});
