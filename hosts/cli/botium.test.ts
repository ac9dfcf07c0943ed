import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseTranscript, replayTranscript, type Transcript } from '../../engine/transcript/index.ts';
import { botiumConfig, drivablePart, replayedTurns, toConvo } from './botium.ts';
import { fixtureTarget, loadFixtures } from './fixtures.ts';

const root = new URL('../../', import.meta.url).pathname;
const parse = (text: string): Transcript => {
  const parsed = parseTranscript(text, 'test.transcript');
  if (!parsed.ok) throw new Error(parsed.errors.map((e) => e.message).join('; '));
  return parsed.transcript;
};
const WEB = '@ city almaty · channel web · lang ru · at 2026-11-26T10:00:00Z\n';

describe('transcripts as Botium convos', () => {
  it('keeps the turns before the first one Botium cannot drive through /api/chat, and names why', () => {
    const part = (text: string) => {
      const { turns, stop } = drivablePart(parse(text));
      return { lines: turns.map((t) => t.line), stop };
    };
    expect(part(`# ok\n${WEB}> /start\n> [tap "Диваны"]\n> диван\n`)).toEqual({ lines: [3, 4, 5], stop: undefined });
    expect(part(`# photo\n${WEB}> /start\n> [photo] fixtures/images/tag-sofa-001.png\n> диван\n`)).toEqual({
      lines: [3],
      stop: expect.stringMatching(/^line 4: sends a photo/),
    });
    expect(part(`# wait\n${WEB}> /start\n~ 2h\n`).stop).toMatch(/time pass/);
    expect(part(`# manager\n${WEB}> менеджер\n! manager: Здравствуйте!\n`).stop).toMatch(/manager/);
    expect(part(`# model\n${WEB}> диван\n= understand {"intent":{"name":"greet"},"source":"openai"}\n`)).toEqual({
      lines: [],
      stop: expect.stringMatching(/recorded results/),
    });
    expect(part(`# odd command\n${WEB}> диван\n> /nonsense-command\n`)).toEqual({
      lines: [3],
      stop: expect.stringMatching(/is text, not a command, on the web channel/),
    });
    expect(part(`# bug\n${WEB}@ known-issue not fixed\n> /start\n`)).toEqual({
      lines: [],
      stop: expect.stringMatching(/known bug/),
    });
    expect(part(`# hours\n${WEB}@ manager-hours mon-fri 09:00-18:00\n> /start\n`)).toEqual({
      lines: [],
      stop: expect.stringMatching(/clock/),
    });
  });

  it('writes one #bot per reply with its text, buttons and cards, and taps by option id', async () => {
    const fixtures = await loadFixtures();
    const transcript = parse(
      `# Красный диван, потом карточка\n${WEB}> /start\n> хочу красный диван до 150000\n> [tap "Подробнее"]\n`,
    );
    const result = await replayTranscript(transcript, fixtureTarget(fixtures).target);
    expect(result.ok).toBe(true);
    const turns = replayedTurns(result.turns);
    expect(turns[2]!.action).toEqual({ kind: 'tap', id: expect.stringMatching(/^p:~/) });
    const convo = toConvo(transcript.title, turns);
    const sections = convo.split('\n\n');
    expect(sections[0]).toBe('Красный диван, потом карточка');
    expect(sections[1]).toBe('#me\n/start');
    expect(sections[2]).toMatch(/^#bot\nЗдравствуйте! /);
    expect(sections[2]).toContain('\nBUTTONS 🛋 Каталог|Диваны|Кровати|');
    expect(sections[2]).toMatch(/\nBUTTONS_COUNT \d+$/);
    const search = sections.indexOf('#me\nхочу красный диван до 150000');
    expect(sections.slice(search + 1, search + 4)).toEqual([
      '#bot\nНашёл 3 — страница 1 из 1:',
      '#bot\nCARDS SOFA-011|SOFA-003|SOFA-002\nCARDS_COUNT 3',
      '#bot\nBUTTONS Меню|👤 Менеджер\nBUTTONS_COUNT 2',
    ]);
    expect(convo).toContain(`#me\nBUTTON ${(turns[2]!.action as { id: string }).id}\n`);
    // the number of #bot sections is the number of replies: Botium waits for each
    expect(convo.match(/^#bot$/gm)).toHaveLength(turns.reduce((n, t) => n + t.replies.length, 0));
  });

  it('keeps Botium from reading a leading ? or ! as "optional" or "not", or a # line as a section', () => {
    const convo = toConvo('t', [
      { action: { kind: 'text', text: '?что' }, replies: [{ type: 'text', text: '!внимание\n#хэштег' }] },
    ]);
    expect(convo).toBe('t\n\n#me\n??что\n\n#bot\n!!внимание\n #хэштег\n');
  });

  it('configures SIMPLEREST for one city and language: replies, buttons, cards, a bearer token', () => {
    const config = botiumConfig({ baseUrl: 'http://127.0.0.1:3000/', city: 'astana', lang: 'kk', token: 'zeta_x' }) as {
      botium: { Capabilities: Record<string, unknown> };
    };
    const caps = config.botium.Capabilities;
    expect(caps).toMatchObject({
      CONTAINERMODE: 'simplerest',
      SIMPLEREST_URL: 'http://127.0.0.1:3000/api/chat/astana',
      SIMPLEREST_METHOD: 'POST',
      SIMPLEREST_HEADERS_TEMPLATE: { Authorization: 'Bearer zeta_x' },
      SIMPLEREST_BODY_JSONPATH: '$.replies[*]',
      SIMPLEREST_BUTTONS_PAYLOAD_SUBJSONPATH: '$.id',
      SIMPLEREST_CARD_TEXT_JSONPATH: '$.sku',
    });
    expect(caps.SIMPLEREST_BODY_TEMPLATE).toContain('"lang":"kk"');
  });

  it('npm run replay -- --export botium writes convos and a botium.json per city and language, naming what it skipped', () => {
    const dir = mkdtempSync(join(tmpdir(), 'zeta-botium-'));
    const photo = join(dir, 'photo.transcript');
    writeFileSync(photo, `# photo\n${WEB}> [photo] fixtures/images/tag-sofa-001.png\n`);
    const cut = join(dir, 'cut.transcript');
    writeFileSync(cut, `# cut\n${WEB}> /start\n> [photo] fixtures/images/tag-sofa-001.png\n`);
    const out = join(dir, 'out');
    const result = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      [
        join(root, 'hosts/cli/replay.ts'),
        join(root, 'scenarios/transcripts/06-search-red-sofa-ru.transcript'),
        join(root, 'scenarios/transcripts/28-kazakh-search.transcript'),
        photo,
        cut,
        '--export',
        'botium',
        out,
        '--base-url',
        'http://127.0.0.1:4000',
        '--token',
        'zeta_test',
      ],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(result.stdout).toContain('skipped photo.transcript: line 3: sends a photo');
    expect(result.stdout).toContain('cut.convo.txt (the turns before line 4: sends a photo');
    expect(result.stdout).toContain('3 convos written');
    expect(result.status).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['almaty.ru', 'astana.kk']);
    expect(readdirSync(join(out, 'almaty.ru')).sort()).toEqual([
      '06-search-red-sofa-ru.convo.txt',
      'botium.json',
      'cut.convo.txt',
    ]);
    const convo = readFileSync(join(out, 'almaty.ru', 'cut.convo.txt'), 'utf8');
    expect(convo).toContain('/start');
    expect(convo).not.toContain('photo');
    const caps = JSON.parse(readFileSync(join(out, 'astana.kk', 'botium.json'), 'utf8')).botium.Capabilities;
    expect(caps.SIMPLEREST_URL).toBe('http://127.0.0.1:4000/api/chat/astana');
    expect(caps.SIMPLEREST_HEADERS_TEMPLATE.Authorization).toBe('Bearer zeta_test');

    const usage = spawnSync(
      join(root, 'node_modules/.bin/tsx'),
      [join(root, 'hosts/cli/replay.ts'), '--export', 'excel', out],
      { cwd: root, encoding: 'utf8', timeout: 60_000 },
    );
    expect(usage.status).toBe(2);
    expect(usage.stderr).toContain('--export knows only "botium"');
  });
});
