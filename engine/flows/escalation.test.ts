import { describe, expect, it } from 'vitest';
import {
  Convo,
  loadDefaultScenario,
  ofType,
  optionIds,
  product,
  search,
  texts,
  types,
} from '../../scenarios/engine-testkit.ts';

const s = loadDefaultScenario();

function withManager(c: Convo) {
  c.say('позовите менеджера', { name: 'escalate_to_manager', args: { reason: 'wants a human' } });
  return c.send({ type: 'escalate.done', escalationId: 'esc-1' });
}

describe('escalation flow', () => {
  it('an explicit request escalates with the history, then the bot stays silent and forwards', () => {
    const c = new Convo(s);
    c.say('диван', search({ category: 'sofa' }));
    c.send({ type: 'search.done', items: [product('SOFA-001', 1)], total: 1 });
    const asked = c.say('позовите менеджера', { name: 'escalate_to_manager', args: { reason: 'wants a human' } });
    const esc = ofType(asked, 'escalate')[0];
    expect(esc).toMatchObject({ reason: 'wants a human', trigger: 'request' });
    expect(esc?.history.map((h) => h.role)).toContain('shopper');
    expect(c.value).toEqual({ escalation: 'requesting' });
    const done = c.send({ type: 'escalate.done', escalationId: 'esc-1' });
    expect(texts(done)).toEqual([s.texts.ru.escalated]);
    expect(optionIds(done)).toEqual(['bot']);
    expect(ofType(done, 'schedule')).toEqual([
      { type: 'schedule', timerId: 'sla:2', dueAt: '2026-03-01T09:10:00.000Z' },
      { type: 'schedule', timerId: 'silence:3', dueAt: '2026-03-01T11:00:00.000Z' },
    ]);
    expect(c.value).toEqual({ escalation: { withManager: 'waiting' } });
    // every forwarded message restarts the silence count
    expect(types(c.send({ type: 'text', text: 'у вас есть доставка?' }))).toEqual([
      'forwardToManager',
      'cancel',
      'schedule',
    ]);
    // managers get the photo and the voice note themselves, not a file id in text
    expect(ofType(c.send({ type: 'image', ref: 'photo-1', caption: 'вот такой' }), 'forwardToManager')).toMatchObject([
      { media: { kind: 'photo', ref: 'photo-1', caption: 'вот такой' } },
    ]);
    expect(ofType(c.send({ type: 'voice', ref: 'v-1' }), 'forwardToManager')).toMatchObject([
      { media: { kind: 'voice', ref: 'v-1' } },
    ]);
    expect(
      ofType(c.send({ type: 'unsupported', kind: 'document', ref: 'BQAC-price' }), 'forwardToManager'),
    ).toMatchObject([{ media: { kind: 'document', ref: 'BQAC-price' } }]);
    expect(ofType(c.send({ type: 'choice', id: 'm' }), 'forwardToManager')).toEqual([
      { type: 'forwardToManager', escalationId: 'esc-1', text: '[button] m' },
    ]);
  });

  it('«Вернуться к боту» (or /start, /menu) ends the hand-off: closed for the manager, the bot answers again', () => {
    for (const event of [
      { type: 'choice', id: 'bot' },
      { type: 'command', command: 'start' },
      { type: 'command', command: 'menu' },
      { type: 'text', text: 'Вернуться к боту!' },
    ] as const) {
      const c = new Convo(s);
      withManager(c);
      const back = c.send(event, 1);
      expect(ofType(back, 'closeEscalation')).toEqual([
        { type: 'closeEscalation', escalationId: 'esc-1', why: 'shopper' },
      ]);
      expect(
        ofType(back, 'cancel')
          .map((x) => x.timerId)
          .sort(),
      ).toEqual(['silence:2', 'sla:1']);
      expect(ofType(back, 'forwardToManager')).toEqual([]);
      expect(texts(back)).toEqual([s.texts.ru.backToBot]);
      expect(optionIds(back)).toEqual(s.menu.map((m) => `menu:${m.id}`));
      expect(c.value).toBe('idle');
      expect(c.ctx.escalationId).toBeNull();
      expect(types(c.send({ type: 'text', text: 'диван' }))).toEqual(['understand']);
    }
  });

  it("a silent hand-off closes after the scenario's silence, telling both sides; any message restarts the count", () => {
    const c = new Convo(s);
    withManager(c);
    c.send({ type: 'manager.replied', text: 'Здравствуйте' }, 5);
    expect(c.ctx.timers).toEqual(['silence:3']);
    c.send({ type: 'text', text: 'минутку' }, 60);
    expect(c.ctx.timers).toEqual(['silence:4']);
    // the superseded timer fires late: nothing happens
    expect(c.send({ type: 'timer.fired', timerId: 'silence:3' }, 60)).toEqual([]);
    const closed = c.send({ type: 'timer.fired', timerId: 'silence:4' }, 60);
    expect(ofType(closed, 'closeEscalation')).toEqual([
      { type: 'closeEscalation', escalationId: 'esc-1', why: 'silence' },
    ]);
    expect(texts(closed)).toEqual([s.texts.ru.escalationSilenceClosed]);
    expect(c.value).toBe('idle');
    expect(c.ctx.timers).toEqual([]);
  });

  it('after hours: the shopper hears when managers answer, may leave a message; no SLA, silence counted from the opening', () => {
    const c = new Convo(s);
    c.say('позовите менеджера', { name: 'escalate_to_manager', args: { reason: 'ночью' } });
    const away = { opensAt: '2026-03-02T04:00:00.000Z', inDays: 1, time: '09:00', date: '02.03' };
    const done = c.send({ type: 'escalate.done', escalationId: 'esc-9', afterHours: away });
    expect(texts(done)).toEqual([s.texts.ru.afterHoursTomorrow?.replace('{time}', '09:00')]);
    expect(optionIds(done)).toEqual(['bot']);
    expect(ofType(done, 'schedule')).toEqual([
      { type: 'schedule', timerId: 'silence:1', dueAt: '2026-03-02T06:00:00.000Z' },
    ]);
    const left = c.send({ type: 'text', text: 'нужен диван на заказ' }, 30);
    expect(ofType(left, 'forwardToManager')).toHaveLength(1);
    expect(ofType(left, 'schedule')).toEqual([
      { type: 'schedule', timerId: 'silence:2', dueAt: '2026-03-02T06:00:00.000Z' },
    ]);
    const today = new Convo(s);
    today.say('позовите менеджера', { name: 'escalate_to_manager', args: { reason: 'рано' } });
    expect(texts(today.send({ type: 'escalate.done', escalationId: 'e', afterHours: { ...away, inDays: 0 } }))).toEqual(
      [s.texts.ru.afterHoursToday?.replace('{time}', '09:00')],
    );
    const later = new Convo(s);
    later.say('позовите менеджера', { name: 'escalate_to_manager', args: { reason: 'выходные' } });
    expect(texts(later.send({ type: 'escalate.done', escalationId: 'e', afterHours: { ...away, inDays: 2 } }))).toEqual(
      [s.texts.ru.afterHoursLater?.replace('{date}', '02.03').replace('{time}', '09:00')],
    );
  });

  it('manager replies are relayed; the SLA timer is cancelled; resolve hands back to the bot', () => {
    const c = new Convo(s);
    withManager(c);
    const reply = c.send(
      { type: 'manager.replied', text: 'Здравствуйте! Да, доставка есть.', managerName: 'Айгерим' },
      3,
    );
    expect(texts(reply)).toEqual(['👤 Айгерим: Здравствуйте! Да, доставка есть.']);
    expect(ofType(reply, 'cancel')).toEqual([
      { type: 'cancel', timerId: 'sla:1' },
      { type: 'cancel', timerId: 'silence:2' },
    ]);
    expect(c.value).toEqual({ escalation: { withManager: 'talking' } });
    expect(c.ctx.history.at(-1)).toMatchObject({
      role: 'manager',
      text: '👤 Айгерим: Здравствуйте! Да, доставка есть.',
    });
    expect(c.send({ type: 'timer.fired', timerId: 'sla:1' }, 10)).toEqual([]);
    expect(texts(c.send({ type: 'manager.replied', text: 'Ещё вопросы?' }))).toEqual(['👤 Менеджер: Ещё вопросы?']);
    // the shipped scenario asks its satisfaction question (escalation.afterResolved) after the hand-off
    const back = c.send({ type: 'manager.resolved' });
    expect(texts(back)[0]).toBe(s.texts.ru.managerResolved);
    expect(c.value).toEqual({ flows: { satisfaction: 'rating' } });
    expect(c.ctx.escalationId).toBeNull();
    // a message that does not answer it is understood as usual
    expect(types(c.send({ type: 'text', text: 'диван' }))).toEqual(['track', 'understand']);
    expect(c.value).toBe('understanding');
  });

  it('without a survey, a resolved hand-off is back at the menu', () => {
    const plain = { ...s, escalation: { maxFailedTurns: 3, onAngry: true } };
    const c = new Convo(plain);
    withManager(c);
    const back = c.send({ type: 'manager.resolved' });
    expect(texts(back)).toEqual([s.texts.ru.managerResolved]);
    expect(optionIds(back)).toEqual(s.menu.map((m) => `menu:${m.id}`));
    expect(c.value).toBe('idle');
  });

  it('no manager within the SLA: the shopper hears «managers are busy» once', () => {
    const c = new Convo(s);
    withManager(c);
    const busy = c.send({ type: 'timer.fired', timerId: 'sla:1' }, 10);
    expect(texts(busy)).toEqual([s.texts.ru.managerBusy]);
    expect(c.send({ type: 'timer.fired', timerId: 'sla:1' })).toEqual([]);
    expect(c.value).toEqual({ escalation: { withManager: 'waiting' } });
  });

  it('resolved before the SLA: the timer is cancelled and a late firing is harmless', () => {
    const c = new Convo(s);
    withManager(c);
    expect(ofType(c.send({ type: 'manager.resolved' }), 'cancel')).toEqual([
      { type: 'cancel', timerId: 'sla:1' },
      { type: 'cancel', timerId: 'silence:2' },
    ]);
    expect(c.send({ type: 'timer.fired', timerId: 'sla:1' })).toEqual([]);
  });

  it('angry wording escalates when the scenario says so', () => {
    const c = new Convo(s);
    const out = c.say('да вы издеваетесь, верните деньги', { name: 'unknown' }, { sentiment: 'angry' });
    expect(ofType(out, 'escalate')[0]?.trigger).toBe('angry');
  });

  it('the manager button, the menu item and /manager escalate', () => {
    for (const event of [
      { type: 'choice', id: 'm' },
      { type: 'choice', id: 'menu:manager' },
      { type: 'command', command: 'manager' },
    ] as const) {
      const c = new Convo(s);
      expect(ofType(c.send(event), 'escalate')[0]?.trigger).toBe('request');
    }
  });

  it('escalation failure apologises and returns to the bot', () => {
    const c = new Convo(s);
    c.send({ type: 'choice', id: 'm' });
    expect(texts(c.send({ type: 'effect.failed', effect: 'escalate', reason: 'db' }))).toEqual([
      s.texts.ru.escalationFailed,
    ]);
    expect(c.value).toBe('idle');
  });

  it('price drops still reach a shopper who is talking to a manager', () => {
    const c = new Convo(s);
    withManager(c);
    const out = c.send({
      type: 'price.dropped',
      product: product('SOFA-001', 250_000, { name: 'Диван Милан' }),
      oldPrice: 250_000,
      newPrice: 220_000,
    });
    expect(texts(out)).toEqual(['🔔 Цена на «Диван Милан» снижена! 250 000 → 220 000 ₸']);
    expect(c.value).toEqual({ escalation: { withManager: 'waiting' } });
  });
});
