import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

/**
 * The designers' loop without a deploy: `npm run chat -- --scenario <file>` talks to a scenario
 * file saved nowhere and records a transcript; `npm run replay -- --scenario <file>` replays it.
 */
const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const run = (script: string, args: string[], input = '') =>
  spawnSync(tsx, [join(root, script), ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });

const dir = mkdtempSync(join(tmpdir(), 'zeta-draft-'));
const shipped = readFileSync(join(root, 'scenarios/default.yaml'), 'utf8');
const draft = join(dir, 'draft.yaml');
writeFileSync(draft, shipped.replace('Здравствуйте! Я помощник', 'Салют! Я новый помощник'));
const broken = join(dir, 'broken.yaml');
writeFileSync(broken, shipped.replace(/flow: search/, 'flow: teleport'));

describe('a scenario file that is saved nowhere', () => {
  it('chat --scenario talks to it and records a transcript that replay --scenario passes (and the shipped one fails)', () => {
    const transcript = join(dir, 'draft.transcript');
    const chat = run('hosts/cli/chat.ts', ['--scenario', draft, '--record', transcript], '/start\n/quit\n');
    expect(chat.stderr).toBe('');
    expect(chat.status).toBe(0);
    expect(chat.stdout).toContain(`(${draft}, not saved anywhere)`);
    expect(chat.stdout).toContain('Салют! Я новый помощник');
    expect(readFileSync(transcript, 'utf8')).toContain('Салют! Я новый помощник');

    const onDraft = run('hosts/cli/replay.ts', [transcript, '--scenario', draft]);
    expect(onDraft.stdout).toContain('1 passed, 0 failed');
    expect(onDraft.status).toBe(0);
    const onShipped = run('hosts/cli/replay.ts', [transcript]);
    expect(onShipped.stdout).toContain('0 passed, 1 failed');
    expect(onShipped.status).toBe(1);
  });

  it('a file that does not load is named with every path and reason, exit code 2, for both', () => {
    for (const script of ['hosts/cli/chat.ts', 'hosts/cli/replay.ts']) {
      const result = run(script, ['--scenario', broken], '/quit\n');
      expect(result.status).toBe(2);
      expect(result.stderr).toContain(`the scenario ${broken} does not load (1 error):`);
      expect(result.stderr).toMatch(/ {2}menu\.\d+\.action[^:]*: /);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    const missing = run('hosts/cli/chat.ts', ['--scenario', join(dir, 'nope.yaml')], '/quit\n');
    expect(missing.status).toBe(2);
    expect(missing.stderr).toMatch(/\(file\): ENOENT/);
    expect(run('hosts/cli/replay.ts', ['--scenario']).status).toBe(2);
  });
});
