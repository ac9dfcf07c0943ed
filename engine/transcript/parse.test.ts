import { describe, expect, it } from 'vitest';
import { parseTranscript } from './parse.ts';
import { parseDuration } from './parseAction.ts';
import { printTranscript } from './print.ts';

const SAMPLE = `# Красный диван до 150 тысяч, потом синий
@ city almaty · channel telegram · lang ru · at 2026-11-26T10:00:00Z
> /start
< ~ Здравствуйте
< [choices] Поиск мебели | Менеджер

# refinement
> хочу красный диван до 150000
< /Нашёл \\d+/
< [products] SOFA-003, SOFA-011
< ...
> [tap] p:SOFA-007
< [product] SOFA-007
> [tap "Подробнее"]
> [photo] fixtures/images/tag-sofa-001.png "вот такой"
= readImage "Артикул: SOFA-001"
= understand {"intent":{"name":"greeting"},"source":"openai"}
= search !fail timeout
> [voice] fixtures/voice/red-sofa.ogg
~ 1h30m
< (silence)
! manager Айгерим: Здравствуйте, я Айгерим
! manager: Добрый день
! manager resolves
! admin: price SOFA-003 = 120 000
! admin: stock SOFA-004 = out
> [text] /not-a-command
< 🔔 Цена на Диван снижена!
| 250 000 → 220 000 ₸
< = [не тег]
> [contact +77011234567]
< [choices] [contact] | ✖️ Отмена
> [contact +77019998877 other]
`;

describe('parseTranscript', () => {
  it('reads every kind of line', () => {
    const parsed = parseTranscript(SAMPLE);
    if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
    const { transcript } = parsed;
    expect(transcript.title).toBe('Красный диван до 150 тысяч, потом синий');
    expect(transcript.header).toMatchObject({
      city: 'almaty',
      channel: 'telegram',
      lang: 'ru',
      at: '2026-11-26T10:00:00.000Z',
      vision: true,
    });
    const actions = transcript.turns.map((t) => t.action);
    expect(actions[0]).toEqual({ kind: 'command', command: 'start' });
    expect(actions[1]).toEqual({ kind: 'text', text: 'хочу красный диван до 150000' });
    expect(transcript.turns[1]!.comments).toEqual(['refinement']);
    expect(actions[2]).toEqual({ kind: 'tap', id: 'p:SOFA-007' });
    expect(actions[3]).toEqual({ kind: 'tapLabel', label: 'Подробнее' });
    expect(actions[4]).toEqual({ kind: 'photo', ref: 'fixtures/images/tag-sofa-001.png', caption: 'вот такой' });
    expect(transcript.turns[4]!.recorded.map((r) => [r.effect, r.value, r.failure])).toEqual([
      ['readImage', 'Артикул: SOFA-001', undefined],
      ['understand', { intent: { name: 'greeting' }, source: 'openai' }, undefined],
      ['search', null, 'timeout'],
    ]);
    expect(actions[6]).toEqual({ kind: 'wait', ms: 90 * 60_000, spec: '1h30m' });
    expect(actions[7]).toEqual({ kind: 'managerReply', name: 'Айгерим', text: 'Здравствуйте, я Айгерим' });
    expect(actions[8]).toEqual({ kind: 'managerReply', text: 'Добрый день' });
    expect(actions[9]).toEqual({ kind: 'managerResolve' });
    expect(actions[10]).toEqual({ kind: 'admin', admin: { kind: 'price', sku: 'SOFA-003', price: 120000 } });
    expect(actions[11]).toEqual({ kind: 'admin', admin: { kind: 'stock', sku: 'SOFA-004', available: false } });
    expect(actions[12]).toEqual({ kind: 'text', text: '/not-a-command' });
    expect(transcript.turns[12]!.expects.map((e) => e.kind === 'exact' && e.text)).toEqual([
      '🔔 Цена на Диван снижена!\n250 000 → 220 000 ₸',
      '[не тег]',
    ]);
    expect(transcript.turns[1]!.expects.map((e) => e.kind)).toEqual(['regex', 'products', 'any']);
    expect(actions[13]).toEqual({ kind: 'contact', phone: '+77011234567', own: true });
    expect(transcript.turns[13]!.expects).toMatchObject([{ kind: 'choices', labels: ['[contact]', '✖️ Отмена'] }]);
    expect(actions[14]).toEqual({ kind: 'contact', phone: '+77019998877', own: false });
  });

  it('reads a shared contact in either bracket form, and only as a +country number', () => {
    const action = (line: string) => {
      const parsed = parseTranscript(`> ${line}\n`);
      return parsed.ok ? parsed.transcript.turns[0]!.action : parsed.errors[0]!.message;
    };
    expect(action('[contact] +77011234567 other')).toEqual({ kind: 'contact', phone: '+77011234567', own: false });
    for (const bad of [
      '[contact 87011234567]',
      '[contact +7 701 123 45 67]',
      '[contact]',
      '[contact +77011234567 mine]',
    ])
      expect(action(bad)).toContain('[contact] needs a phone number');
  });

  it('prints what it reads, and reads what it prints', () => {
    const first = parseTranscript(SAMPLE);
    if (!first.ok) throw new Error('parse');
    const printed = printTranscript(first.transcript);
    const second = parseTranscript(printed);
    if (!second.ok) throw new Error(JSON.stringify(second.errors));
    const strip = (t: typeof first.transcript) =>
      t.turns.map((turn) => ({
        action: turn.action,
        recorded: turn.recorded.map(({ effect, value, failure }) => ({ effect, value, failure })),
        expects: turn.expects.map(({ line: _l, source: _s, ...rest }) => rest),
      }));
    expect(strip(second.transcript)).toEqual(strip(first.transcript));
    expect(printTranscript(second.transcript)).toBe(printed);
  });

  it('reports errors with line numbers and never throws', () => {
    const parsed = parseTranscript(
      '# t\n@ channel fax\n< orphan\n> [dance] x\n= nothing 1\n~ soon\n? what\n! manager\n< /(/\n',
    );
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.errors.map((e) => e.line)).toEqual([2, 3, 4, 5, 6, 7, 8, 9]);
    expect(parsed.errors[0]!.message).toContain('unknown channel');
    for (const input of ['', '\u200b', '>'.repeat(10_000), '< ~', '=\n>', '@ at yesterday']) {
      expect(() => parseTranscript(input)).not.toThrow();
    }
  });

  it('reads durations', () => {
    expect(parseDuration('2h')).toBe(7_200_000);
    expect(parseDuration('1d')).toBe(86_400_000);
    expect(parseDuration('45s')).toBe(45_000);
    expect(parseDuration('30min')).toBe(1_800_000);
    expect(parseDuration('soon')).toBeUndefined();
    expect(parseDuration('')).toBeUndefined();
  });
});
