import { describe, expect, it } from 'vitest';
import {
  Convo,
  loadDefaultScenario,
  ofType,
  optionIds,
  product,
  replies,
  search,
  texts,
  types,
} from '../../scenarios/engine-testkit.ts';

const s = loadDefaultScenario();
const menuIds = s.menu.map((m) => `menu:${m.id}`);

describe('dialogue flow', () => {
  it('/start greets with the menu and asks for recommendations', () => {
    const c = new Convo(s);
    const out = c.send({ type: 'command', command: 'start' });
    expect(texts(out)[0]).toBe(s.texts.ru.greeting);
    expect(optionIds(out)).toEqual(menuIds);
    expect(ofType(out, 'recommend')).toEqual([{ type: 'recommend', limit: 3 }]);
    expect(c.value).toBe('recommending');
    const rec = c.send({ type: 'recommend.done', items: [product('SOFA-001', 250_000), product('BED-002', 180_000)] });
    expect(texts(rec)).toEqual([s.texts.ru.recommendations]);
    expect(replies(rec)[1]).toMatchObject({ type: 'products', items: [{ sku: 'SOFA-001' }, { sku: 'BED-002' }] });
    expect(c.value).toBe('idle');
  });

  it('/start with a SKU deep link greets and opens that product', () => {
    const c = new Convo(s);
    const out = c.send({ type: 'command', command: 'start', args: 'SOFA-001' });
    expect(texts(out)[0]).toBe(s.texts.ru.greeting);
    expect(ofType(out, 'lookupSku')).toEqual([{ type: 'lookupSku', sku: 'SOFA-001' }]);
    expect(c.value).toEqual({ search: 'details' });
    expect(
      ofType(new Convo(s).send({ type: 'command', command: 'start', args: 'promo_spring' }), 'recommend'),
    ).toHaveLength(1);
  });

  it('a plain greeting also asks for recommendations (a returning shopper says hello, not /start)', () => {
    const c = new Convo(s);
    const out = c.say('привет', { name: 'greeting' });
    expect(texts(out)[0]).toBe(s.texts.ru.greeting);
    expect(ofType(out, 'recommend')).toEqual([{ type: 'recommend', limit: 3 }]);
    const rec = c.send({ type: 'recommend.done', items: [product('SOFA-001', 250_000)] });
    expect(texts(rec)).toEqual([s.texts.ru.recommendations]);
    expect(c.value).toBe('idle');
  });

  it('says nothing more when there is nothing to recommend', () => {
    const c = new Convo(s);
    c.send({ type: 'command', command: 'start' });
    expect(c.send({ type: 'recommend.done', items: [] })).toEqual([]);
    expect(c.value).toBe('idle');
  });

  it('help, menu, unknown commands', () => {
    const c = new Convo(s, { channel: 'telegram', lang: 'en' });
    expect(texts(c.send({ type: 'command', command: 'help' }))).toEqual([s.texts.en.help]);
    expect(texts(c.send({ type: 'command', command: 'menu' }))).toEqual([s.texts.en.menuPrompt]);
    expect(texts(c.send({ type: 'command', command: 'frobnicate' }))).toEqual([s.texts.en.help]);
    expect(optionIds(c.send({ type: 'choice', id: 'menu' }))).toEqual(menuIds);
  });

  it('switches language by command, by button and by intent', () => {
    const c = new Convo(s);
    expect(optionIds(c.send({ type: 'command', command: 'lang' }))).toEqual(['lang:ru', 'lang:kk', 'lang:en']);
    expect(texts(c.send({ type: 'choice', id: 'lang:kk' }))[0]).toBe('Тіл: Қазақша.');
    expect(c.ctx.lang).toBe('kk');
    c.send({ type: 'command', command: 'lang', args: 'EN' });
    expect(c.ctx.lang).toBe('en');
    expect(texts(c.say('на русском пожалуйста', { name: 'set_language', args: { lang: 'ru' } }))[0]).toBe(
      'Язык: Русский.',
    );
    expect(c.ctx.lang).toBe('ru');
    expect(optionIds(c.send({ type: 'choice', id: 'menu:language' }))).toEqual(['lang:ru', 'lang:kk', 'lang:en']);
  });

  it('switches language automatically when the shopper writes in another one', () => {
    const c = new Convo(s);
    const out = c.say('Сәлеметсіз бе', { name: 'greeting' }, { lang: 'kk' });
    expect(c.ctx.lang).toBe('kk');
    expect(texts(out)[0]).toBe(s.texts.kk.greeting);
  });

  it('thanks, bye, small talk, forget preferences', () => {
    const c = new Convo(s);
    expect(texts(c.say('спасибо', { name: 'thanks' }))).toEqual([s.texts.ru.thanks]);
    expect(texts(c.say('пока', { name: 'bye' }))).toEqual([s.texts.ru.bye]);
    expect(texts(c.say('как дела?', { name: 'smalltalk' }))).toEqual([s.texts.ru.smalltalk]);
    c.say('диван', search({ category: 'sofa' }));
    const out = c.say('забудь мои предпочтения', { name: 'forget_preferences' });
    expect(types(out)).toEqual(['forgetPreferences', 'reply']);
    expect(c.ctx.criteria).toBeNull();
  });

  it('unknown input: helpful fallback with the menu; from the third in a row the manager is offered, not called', () => {
    const c = new Convo(s);
    const one = c.say('ываыва', { name: 'unknown' });
    expect(texts(one)).toEqual([s.texts.ru.fallback]);
    expect(optionIds(one)).toEqual(menuIds);
    expect(c.ctx.failedTurns).toBe(1);
    c.say('ывап', { name: 'unknown' });
    expect(c.ctx.failedTurns).toBe(2);
    const third = c.say('ааа', { name: 'unknown' });
    expect(ofType(third, 'escalate')).toEqual([]);
    expect(texts(third)).toEqual([s.texts.ru.offerManager]);
    expect(optionIds(third)).toEqual(['m', 'menu']);
    expect(c.value).toBe('idle');
    expect(c.ctx.failedTurns).toBe(3);
    // the shopper takes the offer: the hand-off is counted as caused by the misunderstanding
    expect(ofType(c.send({ type: 'choice', id: 'm' }), 'escalate')[0]).toMatchObject({ trigger: 'failures' });
    expect(c.ctx.failedTurns).toBe(0);
  });

  it('a successful turn ends a failure streak', () => {
    const c = new Convo(s);
    c.say('???', { name: 'unknown' });
    c.say('???', { name: 'unknown' });
    c.say('меню', { name: 'menu' });
    expect(c.ctx.failedTurns).toBe(0);
  });

  it('remembers only the last N messages per channel', () => {
    const tg = new Convo(s, { channel: 'telegram' });
    const wa = new Convo(s, { channel: 'whatsapp' });
    for (let i = 0; i < 20; i++) {
      tg.say(`сообщение ${i}`, { name: 'smalltalk' });
      wa.say(`сообщение ${i}`, { name: 'smalltalk' });
    }
    expect(tg.ctx.history).toHaveLength(5);
    expect(wa.ctx.history).toHaveLength(10);
    expect(tg.ctx.history.at(-1)?.role).toBe('bot');
    expect(tg.ctx.history.at(-2)).toMatchObject({ role: 'shopper', text: 'сообщение 19' });
    // the brain gets what came before the message, not the message twice
    const u = ofType(tg.send({ type: 'text', text: 'ещё одно' }), 'understand')[0];
    expect(u?.history.at(-1)?.role).toBe('bot');
    expect(u?.criteria).toBeUndefined();
  });

  it('tells the brain what is on screen: current criteria and the product in focus', () => {
    const c = new Convo(s);
    c.say('диван', { name: 'search_products', args: { category: 'sofa' }, mode: 'new' });
    c.send({ type: 'search.done', items: [product('SOFA-001', 1), product('SOFA-002', 2)], total: 2 });
    const u = ofType(c.send({ type: 'text', text: 'а синий есть?' }), 'understand')[0];
    expect(u?.criteria).toEqual({ category: 'sofa' });
    expect(u?.focusSku).toBeUndefined();
    c.send({ type: 'choice', id: 'p:SOFA-002' });
    c.send({ type: 'lookupSku.done', sku: 'SOFA-002', product: product('SOFA-002', 2) });
    expect(ofType(c.send({ type: 'text', text: 'уведоми когда подешевеет' }), 'understand')[0]?.focusSku).toBe(
      'SOFA-002',
    );
  });

  it('voice: transcribed text is understood; no transcription → please type', () => {
    const c = new Convo(s);
    expect(ofType(c.send({ type: 'voice', ref: 'voice-1' }), 'transcribe')).toEqual([
      { type: 'transcribe', ref: 'voice-1', lang: 'ru' },
    ]);
    expect(c.value).toBe('transcribing');
    expect(ofType(c.send({ type: 'transcribe.done', text: 'покажи диваны' }), 'understand')[0]?.text).toBe(
      'покажи диваны',
    );
    expect(c.value).toBe('understanding');
    c.send({ type: 'voice', ref: 'voice-2' });
    expect(texts(c.send({ type: 'transcribe.done', text: null }))).toEqual([s.texts.ru.voiceUnsupported]);
    expect(c.value).toBe('idle');
    c.send({ type: 'voice', ref: 'voice-3' });
    expect(texts(c.send({ type: 'effect.failed', effect: 'transcribe', reason: 'down' }))).toEqual([
      s.texts.ru.voiceUnsupported,
    ]);
  });

  it('location and unsupported messages get a friendly reply', () => {
    const c = new Convo(s);
    expect(texts(c.send({ type: 'location', latitude: 43.2, longitude: 76.9 }))).toEqual([s.texts.ru.locationReceived]);
    expect(texts(c.send({ type: 'unsupported', kind: 'sticker' }))).toEqual([s.texts.ru.unsupported]);
  });

  it('a document gets its own answer, and a photo too large to read says so', () => {
    const c = new Convo(s);
    expect(texts(c.send({ type: 'unsupported', kind: 'document' }))).toEqual([s.texts.ru.documentUnsupported]);
    expect(texts(c.send({ type: 'unsupported', kind: 'photo_too_large' }))).toEqual([s.texts.ru.photoTooLarge]);
    c.send({ type: 'image', ref: 'huge-photo' });
    expect(
      texts(
        c.send({
          type: 'effect.failed',
          effect: 'readImage',
          reason: 'media is larger than 20 MB',
          code: 'media_too_large',
        }),
      ),
    ).toEqual([s.texts.ru.photoTooLarge]);
    expect(c.value).toBe('idle');
  });

  it('results in a state that does not expect them are ignored; shopper input while waiting is fresh input', () => {
    const c = new Convo(s);
    expect(c.send({ type: 'search.done', items: [product('SOFA-001', 1)], total: 1 })).toEqual([]);
    expect(c.send({ type: 'understand.done', understanding: { intent: { name: 'help' }, source: 'rules' } })).toEqual(
      [],
    );
    expect(c.send({ type: 'manager.resolved' })).toEqual([]);
    expect(
      texts(c.send({ type: 'manager.replied', text: 'Добрый день, по вашему заказу…', managerName: 'Ерлан' })),
    ).toEqual(['👤 Ерлан: Добрый день, по вашему заказу…']);
    expect(c.value).toBe('idle');
    c.send({ type: 'text', text: 'диван' });
    expect(c.value).toBe('understanding');
    expect(ofType(c.send({ type: 'text', text: 'нет, кровать' }), 'understand')[0]?.text).toBe('нет, кровать');
    expect(texts(c.send({ type: 'effect.failed', effect: 'understand', reason: 'timeout' }))).toEqual([
      s.texts.ru.error,
    ]);
    expect(c.value).toBe('idle');
  });

  it('unknown choice ids fall back to the menu', () => {
    const c = new Convo(s);
    const out = c.send({ type: 'choice', id: 'zzz' });
    expect(texts(out)).toEqual([s.texts.ru.fallback]);
    expect(optionIds(out)).toEqual(menuIds);
    expect(texts(c.send({ type: 'choice', id: 'menu:nope' }))).toEqual([s.texts.ru.fallback]);
    expect(texts(c.send({ type: 'choice', id: 'lang:de' }))).toEqual([s.texts.ru.fallback]);
  });

  it('menu items: info text, alerts info, help, catalog asks what', () => {
    const c = new Convo(s);
    expect(texts(c.send({ type: 'choice', id: 'menu:delivery' }))).toEqual([s.texts.ru.deliveryInfo]);
    expect(texts(c.send({ type: 'choice', id: 'menu:alerts' }))).toEqual([s.texts.ru.alertsInfo]);
    expect(texts(c.send({ type: 'choice', id: 'menu:catalog' }))).toEqual([s.texts.ru.askWhat]);
    expect(ofType(c.send({ type: 'choice', id: 'menu:sofas' }), 'search')[0]?.criteria).toEqual({ category: 'sofa' });
  });
});
