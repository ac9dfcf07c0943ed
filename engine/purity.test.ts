import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The dependency rule: engine/ imports only xstate, valibot and engine/ files, and
 * never touches the clock, randomness or the process. Test files (`*.test.ts`) are exempt; test
 * support that reads files lives outside engine/ (scenarios/engine-testkit.ts).
 */
const ENGINE = dirname(fileURLToPath(import.meta.url));
const ALLOWED_PACKAGES = new Set(['xstate', 'xstate/graph', 'valibot']);
const FORBIDDEN: Array<[RegExp, string]> = [
  [/\bDate\.now\s*\(/, 'Date.now()'],
  [/\bnew\s+Date\s*\(\s*\)/, 'new Date()'],
  [/\bMath\.random\s*\(/, 'Math.random()'],
  [/\bprocess\.(env|argv|exit|hrtime|nextTick)\b/, 'process'],
  [/\bperformance\.now\s*\(/, 'performance.now()'],
  [/\b(setTimeout|setInterval|setImmediate)\s*\(/, 'timers'],
  [/\bfetch\s*\(/, 'fetch()'],
  [/\brequire\s*\(/, 'require()'],
];

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return /\.(ts|mts|js|mjs)$/.test(entry.name) && !/\.test\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** strip comments so prose such as "no Date.now()" does not count */
const code = (text: string) => text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/(^|[^:'"`])\/\/.*$/gm, '$1');

function specifiers(text: string): string[] {
  const out: string[] = [];
  for (const re of [
    /\b(?:import|export)\s[^'"`]*?from\s*['"]([^'"]+)['"]/g,
    /\bimport\s*['"]([^'"]+)['"]/g,
    /\bimport\s*\(\s*['"]([^'"]+)['"]\s*\)/g,
  ]) {
    for (const m of text.matchAll(re)) out.push(m[1] ?? '');
  }
  return out;
}

describe('engine purity', () => {
  const files = sourceFiles(ENGINE);

  it('finds the engine sources', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((f) => [relative(ENGINE, f), f]))(
    '%s imports only xstate, valibot and engine files, and no clock/randomness/process',
    (_name, file) => {
      const text = code(readFileSync(file, 'utf8'));
      const problems: string[] = [];
      for (const spec of specifiers(text)) {
        if (spec.startsWith('.')) {
          const target = resolve(dirname(file), spec);
          if (relative(ENGINE, target).startsWith('..')) problems.push(`imports ${spec} from outside engine/`);
        } else if (!ALLOWED_PACKAGES.has(spec)) {
          problems.push(`imports "${spec}"`);
        }
      }
      for (const [re, what] of FORBIDDEN) if (re.test(text)) problems.push(`uses ${what}`);
      expect(problems).toEqual([]);
    },
  );

  it('the checker itself catches violations', () => {
    const bad =
      "import fs from 'node:fs';\nimport { x } from '../../hosts/y.ts';\nconst t = Date.now(); const d = new Date(); Math.random();";
    expect(specifiers(bad)).toEqual(['node:fs', '../../hosts/y.ts']);
    expect(FORBIDDEN.filter(([re]) => re.test(code(bad))).map(([, w]) => w)).toEqual([
      'Date.now()',
      'new Date()',
      'Math.random()',
    ]);
    expect(FORBIDDEN.some(([re]) => re.test(code('// no Date.now() here\nconst ok = new Date(Date.parse(at));')))).toBe(
      false,
    );
  });
});
