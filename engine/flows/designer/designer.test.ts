import { describe, expect, it } from 'vitest';
import {
  Convo,
  loadDefaultScenario,
  ofType,
  optionIds,
  texts,
  types,
  understood,
} from '../../../scenarios/engine-testkit.ts';
import { parseScenario, type Scenario } from '../../scenario/index.ts';
import { step } from '../../step.ts';

/**
 * Designer flows through `step`, as a shopper meets them: started from the menu or by a designer
 * intent, questions answered, re-asked, cancelled or handed to a manager, and the lead recorded.
 * The shipped scenario's flows are the fixtures; a few edits of it cover branches and acts it
 * does not use.
 */
const s = loadDefaultScenario();
const menuIds = s.menu.map((m) => `menu:${m.id}`);

function measure(c = new Convo(s)) {
  c.send({ type: 'choice', id: 'menu:measure' });
  return c;
}

describe('a designer flow started from the menu', () => {
  it('asks each question in turn with the way out, then records the lead and thanks with the menu', () => {
    const c = new Convo(s);
    const first = c.send({ type: 'choice', id: 'menu:measure' });
    expect(c.value).toEqual({ flows: { measure: 'address' } });
    expect(texts(first)[0]).toContain('адрес');
    expect(optionIds(first)).toEqual(['cancel', 'm']);
    expect(c.ctx.flow).toEqual({ name: 'measure', slots: {} });

    c.send({ type: 'text', text: 'Абая 10, кв 5' });
    expect(c.value).toEqual({ flows: { measure: 'time' } });
    c.send({ type: 'text', text: 'завтра с 10 до 12' });
    expect(c.value).toEqual({ flows: { measure: 'phone' } });
    const done = c.send({ type: 'text', text: '8 (701) 123-45-67' });
    expect(c.value).toBe('idle');
    expect(ofType(done, 'recordLead')).toEqual([
      {
        type: 'recordLead',
        flow: 'measure',
        slots: { address: 'Абая 10, кв 5', time: 'завтра с 10 до 12', phone: '+77011234567' },
        history: expect.any(Array),
      },
    ]);
    // stored as +77011234567, said as people read a number
    expect(texts(done).at(-1)).toContain('+7 701 123 45 67');
    expect(texts(done).at(-1)).toContain('Абая 10, кв 5');
    expect(optionIds(done)).toEqual(menuIds);
    expect(c.ctx.flow).toBeNull();
  });

  it('asked again, a remembered question offers the last answer as a button; tapping it answers', () => {
    const c = measure();
    c.send({ type: 'text', text: 'Абая 10, кв 5' });
    c.send({ type: 'text', text: 'завтра с 10 до 12' });
    c.send({ type: 'text', text: '87011234567' });
    expect(c.ctx.known).toEqual({ address: 'Абая 10, кв 5', phone: '+77011234567' });

    const again = c.send({ type: 'choice', id: 'menu:measure' });
    expect(optionIds(again)).toEqual(['f:known', 'cancel', 'm']);
    expect(JSON.stringify(again)).toContain('"label":"Абая 10, кв 5"');
    c.send({ type: 'choice', id: 'f:known' });
    expect(c.ctx.flow?.slots).toEqual({ address: 'Абая 10, кв 5' });
    // the time is not remembered: asked afresh, with no button of an old answer
    expect(optionIds(c.send({ type: 'text', text: 'нет' }))).toEqual(['cancel', 'm']);
    // then the phone question offers the known number (spaced), after the «📱» button
    const time = c.send({ type: 'text', text: 'в субботу утром' });
    expect(optionIds(time)).toEqual(['contact', 'f:known', 'cancel', 'm']);
    expect(JSON.stringify(time)).toContain('"label":"+7 701 123 45 67"');
    expect(c.value).toEqual({ flows: { measure: 'phone' } });
    const typedNew = c.send({ type: 'text', text: '+7 702 000 11 22' });
    expect(ofType(typedNew, 'recordLead')[0]?.slots).toMatchObject({ address: 'Абая 10, кв 5', phone: '+77020001122' });
    // the newest answer is the one kept
    expect(c.ctx.known).toEqual({ address: 'Абая 10, кв 5', phone: '+77020001122' });
  });

  it('asks again when the phone is not a Kazakh number, and keeps the answers so far', () => {
    const c = measure();
    c.send({ type: 'text', text: 'Абая 10' });
    c.send({ type: 'text', text: 'суббота 14:00' });
    const wrong = c.send({ type: 'text', text: '+7 912 345 67 89' });
    expect(c.value).toEqual({ flows: { measure: 'phone' } });
    expect(texts(wrong)).toEqual([
      s.flows.measure!.steps[2]!.kind === 'ask' ? s.flows.measure!.steps[2]!.ask.reask.ru : '',
    ]);
    expect(types(wrong)).not.toContain('recordLead');
    expect(c.ctx.flow?.slots).toEqual({ address: 'Абая 10', time: 'суббота 14:00' });
    const right = c.send({ type: 'text', text: '+7 701 000 11 22' });
    expect(ofType(right, 'recordLead')[0]?.slots.phone).toBe('+77010001122');
  });

  it("says someone else's shared contact is not theirs, and takes the shopper's own", () => {
    const c = measure();
    c.send({ type: 'text', text: 'Абая 10' });
    c.send({ type: 'text', text: 'суббота 14:00' });
    const other = c.send({ type: 'contact', phone: '+77019998877', own: false });
    expect(c.value).toEqual({ flows: { measure: 'phone' } });
    expect(texts(other)).toEqual([s.texts.ru.phoneNotOwn]);
    expect(optionIds(other)).toEqual(['contact', 'cancel', 'm']);
    const own = c.send({ type: 'contact', phone: '+77011234567', own: true });
    expect(ofType(own, 'recordLead')[0]?.slots.phone).toBe('+77011234567');
  });

  it('cancels from any question — a word in any language or the button — and keeps nothing', () => {
    for (const cancel of [
      { type: 'text', text: 'Отмена' },
      { type: 'text', text: 'бас тарту' },
      { type: 'choice', id: 'cancel' },
    ] as const) {
      const c = measure();
      c.send({ type: 'text', text: 'Абая 10' });
      const out = c.send(cancel);
      expect(c.value).toBe('idle');
      expect(texts(out)).toEqual([s.texts.ru.flowCancelled]);
      expect(optionIds(out)).toEqual(menuIds);
      expect(types(out)).not.toContain('recordLead');
      expect(c.ctx.flow).toBeNull();
    }
  });

  it('hands to a manager from a question with the answers so far', () => {
    for (const manager of [
      { type: 'choice', id: 'm' },
      { type: 'text', text: 'менеджер' },
    ] as const) {
      const c = measure();
      c.send({ type: 'text', text: 'Абая 10' });
      const out = c.send(manager);
      expect(c.value).toEqual({ escalation: 'requesting' });
      const [escalate] = ofType(out, 'escalate');
      expect(escalate?.reason).toBe('flow measure: address: Абая 10');
      expect(escalate?.trigger).toBe('request');
      c.send({ type: 'escalate.done', escalationId: 'esc-1' });
      expect(c.value).toEqual({ escalation: { withManager: 'waiting' } });
    }
  });

  it('a time that names no day or hour is asked again', () => {
    const c = measure();
    c.send({ type: 'text', text: 'Абая 10' });
    c.send({ type: 'text', text: 'как-нибудь' });
    expect(c.value).toEqual({ flows: { measure: 'time' } });
  });

  it('a menu tap in the middle leaves the flow for what was tapped', () => {
    const c = measure();
    c.send({ type: 'choice', id: 'menu:sofas' });
    expect(c.value).toEqual({ search: 'searching' });
  });
});

describe('a designer flow started by a designer intent', () => {
  it('the understanding names the intent; the flow of that intent starts', () => {
    const c = new Convo(s);
    const out = c.say('есть рассрочка?', { name: 'designer', args: { intent: 'installment' } });
    expect(c.value).toBe('idle');
    expect(texts(out)[0]).toContain('Kaspi Red');
    expect(optionIds(out)).toEqual(menuIds);
    c.say('нужен замер', { name: 'designer', args: { intent: 'call_measurer' } });
    expect(c.value).toEqual({ flows: { measure: 'address' } });
  });

  it('an intent the scenario does not know is a misunderstanding', () => {
    const c = new Convo(s);
    const out = c.say('что-то', { name: 'designer', args: { intent: 'nope' } });
    expect(c.value).toBe('idle');
    expect(texts(out)).toEqual([s.texts.ru.fallback]);
  });

  it('the routing table can send designer intents elsewhere, like any intent', () => {
    const c = new Convo({ ...s, routing: { ...s.routing, designer: 'escalate' } });
    c.say('замер', { name: 'designer', args: { intent: 'call_measurer' } });
    expect(c.value).toEqual({ escalation: 'requesting' });
  });

  it('angry wording still wins over a designer intent', () => {
    const c = new Convo(s);
    c.say('замер!!!', understood({ name: 'designer', args: { intent: 'call_measurer' } }).intent, {
      sentiment: 'angry',
    });
    expect(c.value).toEqual({ escalation: 'requesting' });
  });
});

describe('the satisfaction question after a manager resolves', () => {
  it('asks once, tracks the answer, thanks with the menu', () => {
    const c = new Convo(s);
    c.send({ type: 'choice', id: 'm' });
    c.send({ type: 'escalate.done', escalationId: 'esc-1' });
    const resolved = c.send({ type: 'manager.resolved' });
    expect(c.value).toEqual({ flows: { satisfaction: 'rating' } });
    expect(texts(resolved)).toEqual([s.texts.ru.managerResolved, 'Оцените, пожалуйста, помощь менеджера:']);
    expect(optionIds(resolved)).toEqual(['f:good', 'f:okay', 'f:bad', 'cancel', 'm']);
    const rated = c.send({ type: 'text', text: '1' });
    expect(ofType(rated, 'track').find((t) => t.name === 'satisfaction')?.props).toEqual({
      flow: 'satisfaction',
      rating: 'good',
    });
    expect(c.value).toBe('idle');
  });

  it('a typed label answers a choice; other words leave the question (otherwise: leave) and are understood', () => {
    const c = new Convo(s);
    c.send({ type: 'choice', id: 'm' });
    c.send({ type: 'escalate.done', escalationId: 'esc-1' });
    c.send({ type: 'manager.resolved' });
    const out = c.send({ type: 'text', text: 'плохо' });
    expect(ofType(out, 'track').find((t) => t.name === 'satisfaction')?.props?.rating).toBe('bad');
    c.send({ type: 'choice', id: 'm' });
    c.send({ type: 'escalate.done', escalationId: 'esc-2' });
    c.send({ type: 'manager.resolved' });
    // an empty message is no answer: asked again
    expect(texts(c.send({ type: 'text', text: '   ' }))).toEqual(['Выберите оценку кнопкой или напишите 1, 2 или 3.']);
    expect(c.value).toEqual({ flows: { satisfaction: 'rating' } });
    const other = c.send({ type: 'text', text: 'а синий диван есть?' });
    expect(types(other)).toEqual(['track', 'understand']);
    expect(c.value).toBe('understanding');
    expect(c.ctx.flow).toBeNull();
  });
});

/** the shipped scenario with `flows` (and more) replaced; menu items of flows it lacks are dropped */
function edited(patch: { flows: Record<string, unknown>; version?: number }): Scenario {
  const sampleItem = {
    id: 'sample',
    label: { ru: 'Образец', kk: 'Үлгі', en: 'Sample' },
    action: { flow: 'designer', name: 'sample' },
  };
  const menu = [...s.menu, sampleItem].filter(
    (m) => m.action.flow !== 'designer' || (m.action.name ?? '') in patch.flows,
  );
  const raw = JSON.parse(JSON.stringify({ id: s.id, version: s.version, menu, texts: s.texts, ...patch }));
  const r = parseScenario(raw);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.scenario;
}
const L = (t: string) => ({ ru: t, kk: t, en: t });

describe('steps the shipped flows do not use', () => {
  const sample = edited({
    flows: {
      sample: {
        steps: [
          {
            id: 'kind',
            say: L('Что за образец?'),
            buttons: [
              { id: 'fabric', label: L('Ткань'), next: 'fabric' },
              { id: 'wood', label: L('Дерево'), next: 'search' },
            ],
          },
          {
            id: 'fabric',
            ask: {
              slot: 'color',
              type: 'choice',
              text: L('Цвет?'),
              reask: L('Цвет кнопкой'),
              choices: [
                { id: 'red', label: L('Красный') },
                { id: 'grey', label: L('Серый') },
              ],
            },
            next: 'pick',
          },
          { id: 'pick', branch: { slot: 'color', cases: [{ equals: 'red', next: 'count' }], else: 'manager' } },
          {
            id: 'count',
            ask: { slot: 'count', type: 'number', min: 1, max: 5, text: L('Сколько?'), reask: L('От 1 до 5') },
            next: 'remind',
          },
          {
            id: 'remind',
            act: { remind: { after: 'P1D', text: L('Напоминаю про {count} образца цвета {color}') } },
            next: 'photo',
          },
          {
            id: 'photo',
            ask: { slot: 'room', type: 'photo', text: L('Фото комнаты?'), reask: L('Пришлите фото') },
            next: 'done',
          },
          { id: 'done', say: L('Готово'), image: 'https://example.com/sample.png', next: 'end' },
          { id: 'manager', act: { escalate: {} } },
          { id: 'search', act: { search: { query: 'образец дерева' } } },
        ],
      },
    },
  });

  it('a say with buttons waits for a tap (or its label typed); a branch follows the slot', () => {
    const c = new Convo(sample);
    const out = c.send({ type: 'choice', id: 'menu:sample' });
    expect(optionIds(out)).toEqual(['f:fabric', 'f:wood']);
    expect(c.value).toEqual({ flows: { sample: 'kind' } });
    c.send({ type: 'text', text: 'ткань' });
    expect(c.value).toEqual({ flows: { sample: 'fabric' } });
    c.send({ type: 'choice', id: 'f:red' });
    expect(c.value).toEqual({ flows: { sample: 'count' } });
    c.send({ type: 'text', text: '9' });
    expect(c.value).toEqual({ flows: { sample: 'count' } });
    const counted = c.send({ type: 'text', text: '2' });
    expect(ofType(counted, 'schedule')[0]?.timerId).toMatch(/^remind:/);
    expect(c.value).toEqual({ flows: { sample: 'photo' } });
    c.send({ type: 'text', text: 'нет фото' });
    expect(c.value).toEqual({ flows: { sample: 'photo' } });
    const done = c.send({ type: 'image', ref: 'photo-1' });
    expect(c.value).toBe('idle');
    expect(done.some((e) => e.type === 'reply' && e.reply.type === 'image')).toBe(true);
    const timerId = c.ctx.timers.find((t) => t.startsWith('remind:'))!;
    const reminded = c.send({ type: 'timer.fired', timerId }, 24 * 60);
    expect(texts(reminded)).toEqual(['Напоминаю про 2 образца цвета red']);
  });

  it('else of a branch hands to a manager; a search act searches', () => {
    const c = new Convo(sample);
    c.send({ type: 'choice', id: 'menu:sample' });
    c.send({ type: 'choice', id: 'f:fabric' });
    const out = c.send({ type: 'choice', id: 'f:grey' });
    expect(c.value).toEqual({ escalation: 'requesting' });
    expect(ofType(out, 'escalate')[0]?.reason).toBe('flow sample: color: grey');
    const d = new Convo(sample);
    d.send({ type: 'choice', id: 'menu:sample' });
    const searched = d.send({ type: 'choice', id: 'f:wood' });
    expect(d.value).toEqual({ search: 'searching' });
    expect(ofType(searched, 'search')[0]?.criteria).toEqual({ query: 'образец дерева' });
  });

  it('a flow act starts the other flow afresh', () => {
    const chained = edited({
      flows: {
        sample: { steps: [{ id: 'go', act: { flow: 'other' } }] },
        other: { steps: [{ id: 'q', ask: { slot: 'x', type: 'text', text: L('X?'), reask: L('X!') }, next: 'end' }] },
      },
    });
    const c = new Convo(chained);
    const out = c.send({ type: 'choice', id: 'menu:sample' });
    expect(c.value).toEqual({ flows: { other: 'q' } });
    expect(texts(out)).toEqual(['X?']);
    expect(c.ctx.flow).toEqual({ name: 'other', slots: {} });
  });
});

describe('a flow across scenario versions', () => {
  const ask = (slot: string, next: string) => ({
    id: slot,
    ask: { slot, type: 'text', text: L(`${slot}?`), reask: L(`${slot}!`) },
    next,
  });
  const inTime = () => {
    const c = measure();
    c.send({ type: 'text', text: 'Абая 10' });
    return JSON.parse(JSON.stringify(c.persisted));
  };
  const t = '2026-03-01T10:00:00.000Z';

  it('resumes at a step that still exists, answers kept', () => {
    const next = edited({ version: 2, flows: { measure: { steps: [ask('address', 'time'), ask('time', 'end')] } } });
    const out = step(next, inTime(), { type: 'text', text: 'завтра', at: t });
    expect(types(out.effects)).not.toContain('warning');
    expect(out.persisted.snapshot.value).toBe('idle');
    expect(out.persisted.snapshot.context.flow).toBeNull();
    expect(texts(out.effects)).toEqual([next.texts.ru.menuPrompt]);
  });

  it('a conversation in a step that is gone is reset with a warning', () => {
    const next = edited({ version: 2, flows: { measure: { steps: [ask('address', 'end')] } } });
    const out = step(next, inTime(), { type: 'text', text: 'завтра', at: t });
    expect(ofType(out.effects, 'warning')[0]?.message).toMatch(/no longer exists.*measure.*time/);
  });

  it('a conversation in a flow that is gone is reset with a warning', () => {
    const next = edited({ version: 2, flows: {} });
    const out = step(next, inTime(), { type: 'text', text: 'завтра', at: t });
    expect(types(out.effects)[0]).toBe('warning');
  });
});
