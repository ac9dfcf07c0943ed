import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { LANGS, parseScenario, step, TEXT_KEY_NAMES } from '../engine/index.ts';

const raw = () =>
  parse(readFileSync(fileURLToPath(new URL('./default.yaml', import.meta.url)), 'utf8')) as Record<string, unknown>;

describe('scenarios/default.yaml', () => {
  it('parses, with every text in every language', () => {
    const r = parseScenario(raw());
    if (!r.ok) throw new Error(JSON.stringify(r.errors, null, 2));
    const s = r.scenario;
    expect(s.id).toBe('default');
    for (const lang of LANGS) for (const key of TEXT_KEY_NAMES) expect(s.texts[lang][key]?.length).toBeGreaterThan(0);
    expect(s.context).toEqual({ telegram: 5, whatsapp: 10, web: 10 });
    expect(s.timers).toEqual({
      idleFollowUpMs: 30 * 60_000,
      managerSlaMs: 10 * 60_000,
      escalationSilenceMs: 2 * 60 * 60_000,
    });
    expect(s.texts.kk.greeting).toContain('Сәлеметсіз бе');
  });

  it('keeps buttons within WhatsApp limits (title ≤ 20, list row ≤ 24)', () => {
    const r = parseScenario(raw());
    if (!r.ok) throw new Error('invalid');
    for (const lang of LANGS) {
      for (const key of TEXT_KEY_NAMES.filter((k) => k.startsWith('btn')))
        expect([...(r.scenario.texts[lang][key] ?? '')].length, `${lang}.${key}`).toBeLessThanOrEqual(20);
      for (const item of r.scenario.menu)
        expect([...item.label[lang]].length, `${lang} menu ${item.id}`).toBeLessThanOrEqual(24);
    }
  });

  it('reports every broken reference with a path', () => {
    const bad = raw();
    const texts = bad.texts as Record<string, Record<string, string>>;
    delete texts.kk!.greeting;
    texts.en!.searchResults = 'Found {totl}';
    bad.routing = { search_products: 'fallback', thanks: 'search', nonsense: 'menu', help: 'nowhere' };
    (bad.menu as Array<Record<string, unknown>>).push({
      id: 'x',
      label: { ru: 'x', kk: 'x', en: 'x' },
      action: { flow: 'info', text: 'missingText' },
    });
    bad.timers = { idleFollowUp: 'half an hour' };
    const r = parseScenario(bad);
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const paths = r.errors.map((e) => e.path);
    expect(paths).toEqual(
      expect.arrayContaining([
        'texts.kk.greeting',
        'texts.en.searchResults',
        'routing.thanks',
        'routing.nonsense',
        'routing.help',
        'menu.9.action.text',
        'timers.idleFollowUp',
      ]),
    );
    expect(paths).not.toContain('routing.search_products');
    expect(r.errors.find((e) => e.path === 'texts.en.searchResults')?.message).toContain('{totl}');
  });

  it('reports schema errors with paths and never throws on junk', () => {
    for (const junk of [null, 42, 'text', [], { id: 'BAD ID', version: 0 }]) {
      const r = parseScenario(junk);
      expect(r.ok).toBe(false);
    }
    const r = parseScenario({ ...raw(), menu: [{ id: 'a', label: { ru: 'a' }, action: { flow: 'teleport' } }] });
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors.map((e) => e.path).join(' ')).toMatch(/menu\.0\.(label|action)/);
  });
});

describe('hand-off and alert settings a designer changes', () => {
  const variant = (timers: object, alerts: object) => {
    const base = raw();
    const r = parseScenario({
      ...base,
      timers: { ...(base.timers as object), ...timers },
      alerts: { ...(base.alerts as object), ...alerts },
    });
    if (!r.ok) throw new Error(JSON.stringify(r.errors));
    return r.scenario;
  };

  it('timers.escalationSilence and alerts.digestCards change what the bot does', () => {
    const s = variant({ escalationSilence: 30 }, { digestCards: 2 });
    let persisted: unknown;
    const send = (event: Record<string, unknown>, at = '2026-03-01T09:00:00.000Z') => {
      const out = step(s, persisted, { ...event, at }, { channel: 'telegram' });
      persisted = out.persisted;
      return out.effects;
    };
    send({ type: 'choice', id: 'm' });
    const done = send({ type: 'escalate.done', escalationId: 'e-1' });
    expect(done.filter((e) => e.type === 'schedule').map((e) => (e as { dueAt: string }).dueAt)).toEqual([
      '2026-03-01T09:10:00.000Z',
      '2026-03-01T09:30:00.000Z',
    ]);
    const p = (sku: string) => ({
      alertId: 'a',
      kind: 'search',
      reason: 'new',
      product: { id: sku, sku, name: sku, price: 1, currency: 'KZT', available: true },
    });
    const digest = send({ type: 'alert.digest', hits: [p('A-1'), p('A-2'), p('A-3')] });
    const cards = digest.flatMap((e) => (e.type === 'reply' && e.reply.type === 'products' ? e.reply.items : []));
    expect(cards.map((c) => c.sku)).toEqual(['A-1', 'A-2']);
    // 0 turns the silence off
    const off = variant({ escalationSilence: 0 }, {});
    expect(off.timers.escalationSilenceMs).toBe(0);
  });

  it('a bad value names its field', () => {
    const base = raw();
    const bad = parseScenario({
      ...base,
      timers: { ...(base.timers as object), escalationSilence: 'soon' },
      alerts: { ...(base.alerts as object), digestCards: 11 },
    });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.errors.map((e) => e.path).sort()).toEqual(['alerts.digestCards']);
    const silence = parseScenario({ ...base, timers: { ...(base.timers as object), escalationSilence: 'soon' } });
    expect(!silence.ok && silence.errors.map((e) => e.path)).toEqual(['timers.escalationSilence']);
  });
});
