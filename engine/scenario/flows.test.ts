import { describe, expect, it } from 'vitest';
import { loadDefaultScenario } from '../../scenarios/engine-testkit.ts';
import { parseScenario, type ScenarioError } from './parse.ts';
import { unsafePattern } from './safePattern.ts';

/**
 * Loading refuses a designer flow a bot could not run, with the path and a reason a designer can
 * act on — one test per rule. The shipped scenario (which has flows) is the base; each case
 * replaces its `flows` (menu items of flows it drops are dropped too).
 */
const s = loadDefaultScenario();
const L = (t: string) => ({ ru: t, kk: t, en: t });
const ask = (id: string, slot: string, next: string, extra: object = {}) => ({
  id,
  ask: { slot, type: 'text', text: L(`${slot}?`), reask: L(`${slot}!`), ...extra },
  next,
});
const say = (id: string, text: string, next: string) => ({ id, say: L(text), next });

function load(flows: unknown, patch: Record<string, unknown> = {}) {
  const names = typeof flows === 'object' && flows !== null ? Object.keys(flows) : [];
  const menu = s.menu.filter((m) => m.action.flow !== 'designer' || names.includes(m.action.name));
  return parseScenario(JSON.parse(JSON.stringify({ id: s.id, version: 1, menu, texts: s.texts, flows, ...patch })));
}
function errors(flows: unknown, patch: Record<string, unknown> = {}): ScenarioError[] {
  const r = load(flows, patch);
  return r.ok ? [] : r.errors;
}

describe('designer flows at load', () => {
  it('the shipped flows load', () => {
    expect(Object.keys(s.flows)).toEqual(['checkout', 'measure', 'installment', 'assembly', 'satisfaction']);
    expect(load({ f: { steps: [ask('a', 'x', 'b'), say('b', 'Спасибо, {x}', 'end')] } }).ok).toBe(true);
  });

  it('an unreachable step', () => {
    expect(errors({ f: { steps: [say('a', 'hi', 'end'), say('lost', 'never', 'end')] } })).toEqual([
      { path: 'flows.f.steps.1', message: 'step "lost" is unreachable: no step of flow "f" leads to it' },
    ]);
  });

  it('a step with no way out', () => {
    const e = errors({
      f: { steps: [ask('a', 'x', 'b'), ask('b', 'y', 'a')] },
    });
    expect(e).toContainEqual({
      path: 'flows.f.steps.0',
      message: 'step "a" has no way out: from it flow "f" never ends',
    });
    expect(e).toContainEqual({
      path: 'flows.f.steps.1',
      message: 'step "b" has no way out: from it flow "f" never ends',
    });
  });

  it('a slot used before it is asked on every path — in a text or a branch', () => {
    const e = errors({
      f: {
        steps: [
          {
            id: 'pick',
            say: L('?'),
            buttons: [
              { id: 'x', label: L('x'), next: 'askx' },
              { id: 'y', label: L('y'), next: 'thanks' },
            ],
          },
          ask('askx', 'x', 'thanks'),
          say('thanks', 'Спасибо, {x}', 'check'),
          { id: 'check', branch: { slot: 'x', cases: [{ equals: 'a', next: 'end' }], else: 'end' } },
        ],
      },
    });
    expect(e).toContainEqual({
      path: 'flows.f.steps.2.say.ru',
      message: 'slot "x" is used before it is asked on every path to step "thanks"',
    });
    expect(e).toContainEqual({
      path: 'flows.f.steps.3.branch.slot',
      message: 'slot "x" is used before it is asked on every path to step "check"',
    });
    expect(errors({ f: { steps: [say('a', 'Привет, {name}', 'end')] } })).toEqual(
      ['ru', 'kk', 'en'].map((lang) => ({
        path: `flows.f.steps.0.say.${lang}`,
        message: 'slot "name" is never asked in flow "f"',
      })),
    );
  });

  it('a text missing in a language', () => {
    expect(errors({ f: { steps: [{ id: 'a', say: { ru: 'Привет', en: 'Hi' }, next: 'end' }] } })).toEqual([
      { path: 'flows.f.steps.0.say.kk', message: 'missing text' },
    ]);
    expect(
      errors({
        f: { steps: [{ ...ask('a', 'x', 'end'), ask: { slot: 'x', type: 'text', text: L('?'), reask: { ru: '!' } } }] },
      }),
    ).toEqual([
      { path: 'flows.f.steps.0.ask.reask.kk', message: 'missing text' },
      { path: 'flows.f.steps.0.ask.reask.en', message: 'missing text' },
    ]);
  });

  it('an unknown next target', () => {
    expect(errors({ f: { steps: [say('a', 'hi', 'nowhere')] } })).toContainEqual({
      path: 'flows.f.steps.0',
      message: 'step "a" goes to "nowhere", which is no step of flow "f"',
    });
  });

  it('an unknown flow — from a step, a menu item, an intent or the survey hook', () => {
    expect(errors({ f: { steps: [{ id: 'a', act: { flow: 'ghost' } }] } })).toContainEqual({
      path: 'flows.f.steps.0.act.flow',
      message: 'unknown flow "ghost"',
    });
    const menu = [...s.menu, { id: 'g', label: L('G'), action: { flow: 'designer', name: 'ghost' } }];
    expect(errors({}, { menu })).toContainEqual({
      path: `menu.${menu.length - 1}.action.name`,
      message: 'unknown flow "ghost" (the scenario has no flows)',
    });
    const f = { f: { steps: [say('a', 'hi', 'end')] } };
    expect(
      errors(f, {
        intents: {
          ask_ghost: { examples: { ru: ['призрак замера'], kk: ['елес өлшем'], en: ['ghost measure'] }, flow: 'ghost' },
        },
      }),
    ).toEqual([{ path: 'intents.ask_ghost.flow', message: 'unknown flow "ghost" (known: f)' }]);
    expect(errors(f, { escalation: { afterResolved: 'ghost' } })).toEqual([
      { path: 'escalation.afterResolved', message: 'unknown flow "ghost" (known: f)' },
    ]);
  });

  it('a cycle that never asks anything — also across flows', () => {
    const inOne = errors({
      f: {
        steps: [say('a', 'one', 'b'), { id: 'b', act: { lead: {} }, next: 'a' }, say('c', 'never', 'end')],
      },
    });
    expect(inOne).toContainEqual({
      path: 'flows.f.steps.0',
      message: 'these steps loop without asking anything, so the bot would never stop: f/a → f/b → f/a',
    });
    const across = errors({
      f: { steps: [{ id: 'go', act: { flow: 'g' } }] },
      g: { steps: [{ id: 'back', act: { flow: 'f' } }] },
    });
    expect(across.map((e) => e.message)).toContainEqual(
      expect.stringMatching(/loop without asking.*f\/go → g\/back → f\/go/),
    );
    // a loop through a question is fine: the bot waits there
    expect(
      load({
        f: {
          steps: [
            ask('a', 'x', 'b'),
            { id: 'b', branch: { slot: 'x', cases: [{ equals: 'ok', next: 'end' }], else: 'a' } },
          ],
        },
      }).ok,
    ).toBe(true);
  });

  it('10,000 steps are refused at once, before anything else is read', () => {
    const steps = Array.from({ length: 10_000 }, (_, i) => say(`s${i}`, 'x', i === 9_999 ? 'end' : `s${i + 1}`));
    const started = performance.now();
    const e = errors({ f: { steps } });
    expect(performance.now() - started).toBeLessThan(200);
    expect(e).toEqual([{ path: 'flows.f.steps', message: 'at most 100 steps in a flow; this one has 10000' }]);
    const many = Object.fromEntries(
      Array.from({ length: 10 }, (_, f) => [
        `f${f}`,
        { steps: Array.from({ length: 60 }, (_, i) => say(`s${i}`, 'x', 'end')) },
      ]),
    );
    expect(errors(many)).toEqual([{ path: 'flows', message: 'at most 500 steps in all flows; this scenario has 600' }]);
  });

  it('a 1 MB text', () => {
    const huge = 'я'.repeat(1_000_000);
    expect(errors({ f: { steps: [{ id: 'a', say: { ru: huge, kk: 'x', en: 'x' }, next: 'end' }] } })).toEqual([
      { path: 'flows.f.steps.0.say.ru', message: 'text is longer than 4000 characters' },
    ]);
    expect(errors({}, { texts: { ...s.texts, ru: { ...s.texts.ru, greeting: huge } } })).toEqual([
      { path: 'texts.ru.greeting', message: 'text is longer than 4096 characters' },
    ]);
  });

  it('remember on a question whose answer is picked afresh', () => {
    expect(errors({ f: { steps: [ask('a', 'x', 'end', { type: 'datetime', remember: true })] } })).toEqual([
      {
        path: 'flows.f.steps.0.ask.remember',
        message: 'remember belongs to types text, number, phone (a datetime answer is asked afresh)',
      },
    ]);
    expect(errors({ f: { steps: [ask('a', 'x', 'end', { type: 'phone', remember: true })] } })).toEqual([]);
  });

  it('a validation pattern with nested quantifiers or backreferences', () => {
    const withPattern = (pattern: string) => errors({ f: { steps: [ask('a', 'x', 'end', { pattern })] } });
    expect(withPattern('(a+)+$')).toEqual([
      {
        path: 'flows.f.steps.0.ask.pattern',
        message: 'pattern refused: nested quantifiers are not allowed (a repeated group that repeats inside)',
      },
    ]);
    expect(withPattern('(\\w)\\1')[0]?.message).toBe('pattern refused: backreferences are not allowed');
    expect(withPattern('[0-9]{6}')).toEqual([]);
  });

  it('an act that does not exist, or one written wrong', () => {
    expect(errors({ f: { steps: [{ id: 'a', act: { sendSms: {} }, next: 'end' }] } })).toEqual([
      {
        path: 'flows.f.steps.0.act.sendSms',
        message: 'unknown act "sendSms" (known: lead, escalate, remind, search, track, flow, menu, checkout, order)',
      },
    ]);
    expect(
      errors({ f: { steps: [{ id: 'a', act: { remind: { after: 'soon', text: L('x') } }, next: 'end' }] } }),
    ).toEqual([
      { path: 'flows.f.steps.0.act.remind.after', message: 'expected minutes or an ISO 8601 duration such as P1D' },
    ]);
    expect(errors({ f: { steps: [{ id: 'a', act: { lead: {}, menu: {} }, next: 'end' }] } })[0]?.message).toMatch(
      /an act does exactly one thing/,
    );
  });

  it('a step that is not exactly one thing, or says where to go when it cannot', () => {
    expect(errors({ f: { steps: [{ id: 'a', next: 'end' }] } })).toEqual([
      { path: 'flows.f.steps.0', message: 'a step needs one of say, ask, branch, act' },
    ]);
    expect(errors({ f: { steps: [{ id: 'a', act: { escalate: {} }, next: 'end' }] } })).toEqual([
      { path: 'flows.f.steps.0.next', message: 'after "escalate" the flow is over; remove next' },
    ]);
    expect(errors({ f: { steps: [{ id: 'a', say: L('x'), sms: 'x', next: 'end' }] } })[0]?.path).toBe(
      'flows.f.steps.0.sms',
    );
  });

  it('a question whose type lacks what it needs', () => {
    expect(
      errors({
        f: { steps: [{ ...ask('a', 'x', 'end'), ask: { slot: 'x', type: 'choice', text: L('?'), reask: L('!') } }] },
      }),
    ).toEqual([{ path: 'flows.f.steps.0.ask.choices', message: 'a choice question needs choices' }]);
    expect(errors({ f: { steps: [ask('a', 'x', 'end', { type: 'number', min: 5, max: 1 })] } })).toEqual([
      { path: 'flows.f.steps.0.ask.min', message: 'min 5 is above max 1' },
    ]);
  });
});

describe('safe validation patterns', () => {
  it.each([
    ['[0-9]{6}', null],
    ['\\d{3}-\\d{2}', null],
    ['(кв|офис)\\.? ?\\d+', null],
    ['(ab)+', null],
    ['[A-Z]{2}\\d{4,8}', null],
    ['(a+)+', 'nested quantifiers are not allowed (a repeated group that repeats inside)'],
    ['(a*b?)*', 'nested quantifiers are not allowed (a repeated group that repeats inside)'],
    ['((a)+)+', 'nested quantifiers are not allowed (a repeated group that repeats inside)'],
    ['(a|aa)+', 'a repeated group with alternatives is not allowed'],
    ['(a)\\1', 'backreferences are not allowed'],
    ['(?<x>a)\\k<x>', 'backreferences are not allowed'],
    ['a(?=b)', 'lookahead and lookbehind are not allowed'],
    ['(?<!a)b', 'lookahead and lookbehind are not allowed'],
    ['(', expect.stringMatching(/^not a valid regular expression/)],
  ])('%s', (pattern, why) => {
    expect(unsafePattern(pattern)).toEqual(why);
  });
});

describe('the checkout at load', () => {
  const choice = (id: string, slot: string, next: string) => ({
    id,
    ask: {
      slot,
      type: 'choice',
      text: L('?'),
      reask: L('!'),
      choices: [
        { id: 'delivery', label: L('Доставка') },
        { id: 'pickup', label: L('Самовывоз') },
      ],
    },
    next,
  });
  const typed = (id: string, slot: string, type: string, next: string) => ({
    id,
    ask: { slot, type, text: L(`${slot}?`), reask: L(`${slot}!`) },
    next,
  });
  const order = { id: 'place', act: { order: {} } };

  it('a store or payment question, or an order, without a checkout act is refused with the step to add', () => {
    const found = errors({
      checkout: { steps: [typed('store', 'store', 'store', 'pay'), typed('pay', 'payment', 'payment', 'end')] },
    });
    expect(found.map((e) => e.message)).toEqual([
      "a store question needs the cart and the city's options: add a step { act: { checkout: {} } } before it",
      "a payment question needs the cart and the city's options: add a step { act: { checkout: {} } } before it",
    ]);
  });

  it('an order needs delivery, name, phone and payment asked on every path, and an address or a store', () => {
    const found = errors({
      checkout: {
        steps: [
          { id: 'start', act: { checkout: {} }, next: 'delivery' },
          choice('delivery', 'delivery', 'name'),
          ask('name', 'name', 'place'),
          order,
        ],
      },
    });
    expect(found).toEqual(
      expect.arrayContaining([
        { path: 'flows.checkout.steps.3.act.order', message: 'slot "phone" is never asked in flow "checkout"' },
        { path: 'flows.checkout.steps.3.act.order', message: 'slot "payment" is never asked in flow "checkout"' },
        {
          path: 'flows.checkout.steps.3',
          message: 'an order needs an "address" question (delivery) or a "store" question (pickup)',
        },
      ]),
    );
  });

  it('the shipped checkout loads, and its texts may name the cart and its total', () => {
    const steps = [
      { id: 'start', act: { checkout: {} }, next: 'delivery' },
      choice('delivery', 'delivery', 'address'),
      ask('address', 'address', 'name'),
      ask('name', 'name', 'phone'),
      typed('phone', 'phone', 'phone', 'pay'),
      typed('pay', 'payment', 'payment', 'sum'),
      say('sum', '{cart} {total} {delivery_place} {payment_name}', 'place'),
      order,
    ];
    expect(errors({ checkout: { steps } })).toEqual([]);
    expect(Object.keys(s.flows)).toContain('checkout');
  });
});
