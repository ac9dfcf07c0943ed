import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { productHandle } from '../../engine/machine/handles.ts';
import { parseTranscript } from '../../engine/transcript/index.ts';
import { loadFixtures, replayFile } from './fixtures.ts';

const root = new URL('../../', import.meta.url).pathname;
const tsx = join(root, 'node_modules/.bin/tsx');
const run = (script: string, args: string[], input = '') =>
  spawnSync(tsx, [join(root, script), ...args], { cwd: root, input, encoding: 'utf8', timeout: 60_000 });

describe('npm run replay', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zeta-replay-'));

  it('passes a good transcript with exit code 0', () => {
    const file = join(dir, 'good.transcript');
    writeFileSync(file, '# good\n> /start\n< ~ Здравствуйте\n< [choices] ~ Диваны\n');
    const result = run('hosts/cli/replay.ts', [file]);
    expect(result.stdout).toContain('✓');
    expect(result.stdout).toContain('1 passed, 0 failed');
    expect(result.status).toBe(0);
  });

  it('fails a wrong transcript with a readable diff and exit code 1', () => {
    const file = join(dir, 'bad.transcript');
    writeFileSync(file, '# bad\n> /start\n< Добрый вечер\n');
    const result = run('hosts/cli/replay.ts', [file]);
    expect(result.stdout).toContain('✗');
    expect(result.stdout).toContain('✗ < Добрый вечер');
    expect(result.stdout).toMatch(/\+ < \[choices\] 🛋 Каталог/);
    expect(result.status).toBe(1);
  });

  it('reports unreadable transcripts and missing paths', () => {
    const file = join(dir, 'broken.transcript');
    writeFileSync(file, '> [dance] x\n');
    const broken = run('hosts/cli/replay.ts', [file]);
    if (!broken.stdout)
      throw new Error(
        `status ${broken.status} signal ${broken.signal} stderr ${broken.stderr} error ${String(broken.error)}`,
      );
    expect(broken.stdout).toContain('line 1: unknown shopper action [dance]');
    expect(broken.status).toBe(1);
    expect(run('hosts/cli/replay.ts', [join(dir, 'missing')]).status).toBe(2);
  });
});

describe('npm run chat', () => {
  it('records a session that replays', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'zeta-chat-')), 'session.transcript');
    const input = [
      '/start',
      'хочу красный диван до 150000',
      '#1',
      '[photo] fixtures/images/tag-sofa-001.png',
      '~ 1h',
      '/quit',
      '',
    ].join('\n');
    const result = run('hosts/cli/chat.ts', ['--record', file, '--title', 'CLI session'], input);
    expect(result.status).toBe(0);
    expect(result.stdout).toContain('Нашёл 3 — страница 1 из 1:');
    const text = readFileSync(file, 'utf8');
    expect(text).toContain('# CLI session');
    expect(text).toContain(`> [tap] p:${productHandle('SOFA-011')}`);
    expect(text).toContain('= readImage "Артикул: SOFA-001');
    const parsed = parseTranscript(text);
    expect(parsed.ok).toBe(true);
    const outcome = await replayFile(file, await loadFixtures());
    expect(outcome.report).toMatch(/^✓/);
  });

  it('rejects bad arguments', () => {
    const result = run('hosts/cli/chat.ts', ['--lang', 'fr']);
    expect(result.stdout).toContain('--lang must be one of ru, kk, en');
    expect(result.status).toBe(2);
  });
});
