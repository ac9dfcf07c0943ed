import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { TEST_BACKENDS } from '../../storage/testing.ts';
import { getBotSecrets } from '../../storage/repos/bot-configs.ts';
import { listActiveScenarios } from '../../storage/repos/scenarios.ts';
import { loadScenarioDir } from '../scenarios/load.ts';
import { ScenarioRegistry } from '../scenarios/registry.ts';
import { RELOAD_CHANNEL, type ReloadMessage } from './http/context.ts';
import { maskToken } from './routes/botConfig.ts';
import { EscalationService } from '../escalations/service.ts';
import { createAdminHarness, type AdminHarness } from './testing.ts';

type Json = Record<string, unknown> & {
  error?: {
    code: string;
    message: string;
    details?: { file?: string; path: string; reason?: string; message?: string }[];
  };
};
const json = async (res: Response) => (await res.json()) as Json;
const SCENARIO_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'scenarios');
const DEFAULT_YAML = readFileSync(join(SCENARIO_DIR, 'default.yaml'), 'utf8');
const TOKEN = '123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsaw';

describe.each(TEST_BACKENDS)('configuration routes on %s', (kind) => {
  let h: AdminHarness;
  let cityId: string;
  const reloads: ReloadMessage[] = [];
  beforeAll(async () => {
    h = await createAdminHarness(kind);
    const { scenarios: files } = await loadScenarioDir(SCENARIO_DIR);
    const registry = new ScenarioRegistry({ files, overrides: { activeVersions: () => listActiveScenarios(h.t.db) } });
    h.deps.scenarios = registry;
    h.deps.scenarioDir = SCENARIO_DIR;
    await h.pubsub.subscribe(RELOAD_CHANNEL, (m) => void reloads.push(JSON.parse(m) as ReloadMessage));
    cityId = (
      (
        await json(
          await h.call('POST', '/cities', {
            as: 'owner',
            body: { name: 'Астана', slug: 'astana', timezone: 'Asia/Almaty' },
          }),
        )
      ).city as { id: string }
    ).id;
  });
  afterAll(async () => h.close());

  it("city managers' hours: validated with a reason naming the field, stored, read by the escalation service, cleared with null", async () => {
    const bad = await h.call('PUT', `/cities/${cityId}`, { as: 'owner', body: { managerHours: 'weekdays 9-18' } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(await json(bad))).toContain('managerHours');
    const ok = await json(
      await h.call('PUT', `/cities/${cityId}`, {
        as: 'owner',
        body: { managerHours: 'mon-fri 09:00-20:00; sat 10:00-18:00' },
      }),
    );
    expect((ok.city as { managerHours?: string }).managerHours).toBe('mon-fri 09:00-20:00; sat 10:00-18:00');
    const service = new EscalationService({ db: h.t.db, pubsub: h.pubsub, deliver: async () => undefined });
    // Thursday 21:30 in Astana
    expect(await service.managersAway('astana', new Date('2026-11-26T16:30:00Z'))).toMatchObject({
      inDays: 1,
      time: '09:00',
    });
    const cleared = await json(await h.call('PUT', `/cities/${cityId}`, { as: 'owner', body: { managerHours: null } }));
    expect((cleared.city as { managerHours?: string }).managerHours).toBeUndefined();
    expect(await service.managersAway('astana', new Date('2026-11-26T16:30:00Z'))).toBeNull();
  });

  it('masks tokens', () => {
    expect(maskToken(TOKEN)).toBe('123456789:…Dsaw');
    expect(maskToken('EAAGshort')).toBe('…');
  });

  it('bot config: validated, stored, token only ever masked, versioned, hot-reload published, audited', async () => {
    const empty = await json(await h.call('GET', `/bot-config/${cityId}`, { as: 'designer' }));
    expect(empty).toEqual({ cityId, telegram: null, whatsapp: null });
    const bad = await h.call('PUT', `/bot-config/${cityId}`, {
      as: 'admin',
      body: {
        channel: 'telegram',
        botToken: 'nope',
        managersChatId: 'abc',
        settings: { model: 'gpt-4o-mini', maxTokenz: 500 },
      },
    });
    expect(bad.status).toBe(400);
    expect((await json(bad)).error!.details!.map((d) => d.path).sort()).toEqual([
      'botToken',
      'managersChatId',
      'settings.maxTokenz',
    ]);
    expect(
      (
        await h.call('PUT', `/bot-config/${cityId}`, {
          as: 'admin',
          body: { channel: 'telegram', scenarioId: 'no-such' },
        })
      ).status,
    ).toBe(422);
    expect(
      (await h.call('PUT', `/bot-config/${cityId}`, { as: 'designer', body: { channel: 'telegram' } })).status,
    ).toBe(403);

    const res = await h.call('PUT', `/bot-config/${cityId}`, {
      as: 'admin',
      body: {
        channel: 'telegram',
        botToken: TOKEN,
        webhookSecret: 'secret_secret_secret',
        managersChatId: '-1001234567890',
        scenarioId: 'default',
        settings: { model: 'gpt-4o-mini', maxTokens: 500 },
      },
    });
    expect(res.status).toBe(200);
    const text = JSON.stringify(await json(res));
    expect(text).not.toContain(TOKEN);
    expect(text).toContain('123456789:…Dsaw');
    // settings merge: an omitted one stays, null clears one
    const second = await json(
      await h.call('PUT', `/bot-config/${cityId}`, {
        as: 'admin',
        body: { channel: 'telegram', settings: { model: 'gpt-4o', maxTokens: null } },
      }),
    );
    expect(second.config).toMatchObject({
      version: 2,
      botToken: '123456789:…Dsaw',
      managersChatId: '-1001234567890',
      settings: { model: 'gpt-4o' },
    });
    expect((second.config as { settings: object }).settings).toEqual({ model: 'gpt-4o' });
    expect((await getBotSecrets(h.t.db, cityId, 'telegram'))?.botToken).toBe(TOKEN);
    for (const path of [`/bot-config/${cityId}`, '/cities/astana/bot-config']) {
      const got = JSON.stringify(await json(await h.call('GET', path, { as: 'admin' })));
      expect(got).not.toContain(TOKEN);
      expect(got).toContain('"version":2');
    }
    await vi.waitFor(() => expect(reloads).toContainEqual({ kind: 'botConfig', cityId, version: 2 }));
    const audit = await h.t.db.selectFrom('audit_log').selectAll().where('action', '=', 'botConfig.update').execute();
    expect(audit).toHaveLength(2);
    expect(JSON.stringify(audit)).not.toContain(TOKEN);
  });

  it('bot settings out of range, of the wrong type, removed, or on the wrong channel are refused with the field named; nothing is saved', async () => {
    const refused = async (channel: string, settings: object, status = 400) => {
      const res = await h.call('PUT', `/bot-config/${cityId}`, { as: 'admin', body: { channel, settings } });
      expect(res.status).toBe(status);
      return (await json(res)).error!.details!.map((d) => `${d.path}: ${d.message}`);
    };
    const version = async () =>
      (
        (await json(await h.call('GET', `/bot-config/${cityId}`, { as: 'admin' }))).whatsapp as {
          version: number;
        } | null
      )?.version;
    const before = await version();
    expect(await refused('whatsapp', { maxTokens: 10 })).toEqual(['settings.maxTokens: maxTokens is at least 50']);
    expect(await refused('whatsapp', { maxTokens: 20_000 })).toEqual([
      'settings.maxTokens: maxTokens is at most 16000',
    ]);
    expect(await refused('whatsapp', { maxTokens: '300' })).toEqual([
      'settings.maxTokens: maxTokens is a whole number',
    ]);
    expect(await refused('whatsapp', { maxTokens: 300.5 })).toEqual([
      'settings.maxTokens: maxTokens is a whole number',
    ]);
    expect(await refused('whatsapp', { model: 42 })).toEqual([
      'settings.model: model is a model name such as gpt-4o-mini',
    ]);
    expect(await refused('whatsapp', { model: 'gpt 4o; drop table' })).toEqual([
      'settings.model: model is a model name such as gpt-4o-mini',
    ]);
    expect(await refused('whatsapp', { templateLang: 'Russian' })).toEqual([
      expect.stringMatching(/^settings\.templateLang: templateLang is the template's language code/),
    ]);
    expect(await refused('whatsapp', { templateParams: ['text', 'discount'] })).toEqual([
      expect.stringMatching(/^settings\.templateParams\.1: templateParams are text, productName, price/),
    ]);
    expect(await refused('whatsapp', { templateParams: [] })).toEqual([
      'settings.templateParams: templateParams names at least one parameter',
    ]);
    for (const removed of [
      'temperature',
      'contextLength',
      'defaultLanguage',
      'managerSlaMinutes',
      'greeting',
      'promptName',
    ]) {
      expect((await refused('whatsapp', { [removed]: 1 }))[0]).toMatch(new RegExp(`^settings\\.${removed}: `));
    }
    expect(await refused('telegram', { templateLang: 'ru', model: 'gpt-4o' }, 422)).toEqual([
      'settings.templateLang: only the WhatsApp channel sends templates',
    ]);
    expect(await version()).toBe(before);
  });

  it('prompts: versions, diff, activate, rollback — each publishes a reload', async () => {
    const v1 = await h.call('POST', '/prompts/system/versions', {
      as: 'designer',
      body: { content: 'Ты — консультант.\nОтвечай кратко.' },
    });
    expect(v1.status).toBe(201);
    await h.call('POST', '/prompts/system/versions', {
      as: 'designer',
      body: { content: 'Ты — консультант ZETA.\nОтвечай кратко.\nЦены в тенге.' },
    });
    const cityPrompt = await json(
      await h.call('POST', '/prompts/system/versions', { as: 'designer', body: { content: 'Астана', city: 'astana' } }),
    );
    expect(cityPrompt.prompt).toMatchObject({ version: 1, cityId });
    const versions = await json(await h.call('GET', '/prompts/system/versions', { as: 'designer' }));
    expect((versions.items as { version: number; isActive: boolean }[]).map((p) => [p.version, p.isActive])).toEqual([
      [2, true],
      [1, false],
    ]);
    const diff = await json(await h.call('GET', '/prompts/system/diff', { as: 'designer' }));
    expect(diff).toMatchObject({ from: 1, to: 2 });
    expect(diff.lines).toEqual([
      { op: '-', text: 'Ты — консультант.', oldLine: 1, newLine: null },
      { op: '+', text: 'Ты — консультант ZETA.', oldLine: null, newLine: 1 },
      { op: '=', text: 'Отвечай кратко.', oldLine: 2, newLine: 2 },
      { op: '+', text: 'Цены в тенге.', oldLine: null, newLine: 3 },
    ]);
    expect(diff.unified).toContain('+Цены в тенге.');
    const rolled = await json(await h.call('POST', '/prompts/system/rollback', { as: 'designer', body: {} }));
    expect(rolled.prompt).toMatchObject({ version: 1, isActive: true });
    const activated = await json(
      await h.call('POST', '/prompts/system/activate', { as: 'designer', body: { version: 2 } }),
    );
    expect(activated.prompt).toMatchObject({ version: 2, isActive: true });
    expect((await h.call('POST', '/prompts/system/activate', { as: 'designer', body: { version: 9 } })).status).toBe(
      404,
    );
    expect((await h.call('GET', '/prompts/system/diff?from=1&to=7', { as: 'designer' })).status).toBe(404);
    expect(
      (await h.call('POST', '/prompts/BAD NAME/versions', { as: 'designer', body: { content: 'x' } })).status,
    ).toBe(400);
    const active = await json(await h.call('GET', '/prompts?city=astana', { as: 'designer' }));
    expect((active.items as { content: string }[]).map((p) => p.content).sort()).toEqual([
      'Астана',
      'Ты — консультант ZETA.\nОтвечай кратко.\nЦены в тенге.',
    ]);
    await vi.waitFor(() =>
      expect(reloads.flatMap((r) => (r.kind === 'prompt' ? [r.version] : []))).toEqual([1, 2, 1, 1, 2]),
    );
    expect(reloads).toContainEqual({ kind: 'prompt', cityId, id: 'system', version: 1 });
  });

  it('scenarios: list, get with its machine graph, validate', async () => {
    const list = await json(await h.call('GET', '/scenarios', { as: 'designer' }));
    expect(list.items).toContainEqual(expect.objectContaining({ id: 'default', source: 'file', activeVersion: null }));
    const got = await json(await h.call('GET', '/scenarios/default', { as: 'designer' }));
    const scenario = got.scenario as {
      content: string;
      file: string;
      graph: { states: { id: string }[]; menu: unknown[]; transitions: unknown[] };
    };
    expect(scenario.content).toBe(DEFAULT_YAML);
    expect(scenario.file).toBe('default.yaml');
    expect(scenario.graph.states.map((s) => s.id)).toEqual(
      expect.arrayContaining(['idle', 'understanding', 'search.searching', 'escalation.withManager.talking']),
    );
    expect(scenario.graph.menu.length).toBeGreaterThan(0);
    expect(scenario.graph.transitions.length).toBeGreaterThan(50);
    expect((await h.call('GET', '/scenarios/nope', { as: 'designer' })).status).toBe(404);

    const ok = await json(
      await h.call('POST', '/scenarios/validate', { as: 'designer', body: { content: DEFAULT_YAML } }),
    );
    expect(ok).toMatchObject({ ok: true, errors: [] });
    const broken = await json(
      await h.call('POST', '/scenarios/validate', {
        as: 'designer',
        body: { content: DEFAULT_YAML.replace('smalltalk: smalltalk', 'smalltalk: nowhere'), file: 'mine.yaml' },
      }),
    );
    expect(broken.ok).toBe(false);
    expect(broken.errors).toEqual([
      { file: 'mine.yaml', path: 'routing.smalltalk', reason: expect.stringContaining('unknown route "nowhere"') },
    ]);
    const yamlError = await json(
      await h.call('POST', '/scenarios/validate', { as: 'designer', body: { content: 'id: [unclosed' } }),
    );
    expect((yamlError.errors as { path: string }[])[0]!.path).toMatch(/line 1/);
  });

  it('a scenario with a broken reference → 422 with file+path+reason, and nothing changes', async () => {
    const broken = DEFAULT_YAML.replace(
      /action: \{ flow: info, text: (\w+) \}/,
      'action: { flow: info, text: no_such_text }',
    );
    const res = await h.call('PUT', '/scenarios/default', { as: 'designer', body: { content: broken } });
    expect(res.status).toBe(422);
    const body = await json(res);
    expect(body.error!.code).toBe('scenario_invalid');
    expect(body.error!.details![0]).toEqual({
      file: 'default.yaml',
      path: expect.stringMatching(/^menu\.\d+\.action\.text$/),
      reason: 'text "no_such_text" is missing in texts.ru',
    });
    expect(await h.t.db.selectFrom('scenarios').selectAll().execute()).toEqual([]);
    expect(reloads.some((r) => r.kind === 'scenario')).toBe(false);
    const otherId = await h.call('PUT', '/scenarios/other', { as: 'designer', body: { content: DEFAULT_YAML } });
    expect(otherId.status).toBe(422);
    expect((await json(otherId)).error!.details![0]).toMatchObject({ path: 'id' });
  });

  it('saving a valid scenario writes a version, reloads the registry and publishes; activate rolls back', async () => {
    const edited = DEFAULT_YAML.replace('name: Мебельный магазин ZETA', 'name: ZETA Астана');
    const res = await h.call('PUT', '/scenarios/default', { as: 'designer', body: { content: edited } });
    expect(res.status).toBe(200);
    expect(await json(res)).toMatchObject({ version: 1, isActive: true, graph: { scenario: { name: 'ZETA Астана' } } });
    expect(h.deps.scenarios!.get('default')!.name).toBe('ZETA Астана');
    await vi.waitFor(() => expect(reloads).toContainEqual({ kind: 'scenario', id: 'default', version: 1 }));
    await h.call('PUT', '/scenarios/default', { as: 'designer', body: { content: DEFAULT_YAML } });
    const versions = await json(await h.call('GET', '/scenarios/default/versions', { as: 'designer' }));
    expect((versions.items as { version: number; isActive: boolean }[]).map((v) => [v.version, v.isActive])).toEqual([
      [2, true],
      [1, false],
    ]);
    const back = await h.call('POST', '/scenarios/default/activate', { as: 'designer', body: { version: 1 } });
    expect(back.status).toBe(200);
    expect(h.deps.scenarios!.get('default')!.name).toBe('ZETA Астана');
    const got = await json(await h.call('GET', '/scenarios/default', { as: 'viewer' }));
    expect(got.error!.code).toBe('forbidden');
    const mine = await json(await h.call('GET', '/scenarios/default', { as: 'designer' }));
    expect(mine.scenario).toMatchObject({ source: 'database', activeVersion: 1 });
    expect((await h.call('POST', '/scenarios/default/activate', { as: 'designer', body: { version: 5 } })).status).toBe(
      404,
    );
    const audit = await h.t.db
      .selectFrom('audit_log')
      .selectAll()
      .where('entity', '=', 'scenario')
      .orderBy('created_at')
      .execute();
    expect(audit.map((a) => a.action)).toEqual(['scenario.save', 'scenario.save', 'scenario.activate']);
    expect(audit[1]!.before).toMatchObject({ version: 1 });
    expect(audit[1]!.after).toMatchObject({ version: 2 });
  });
});
