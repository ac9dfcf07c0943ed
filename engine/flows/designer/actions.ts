import { clip } from '../../context.ts';
import type { Effect } from '../../effects.ts';
import type { EngineEvent } from '../../events.ts';
import type { ActionTable } from '../../machine/actions.ts';
import type { Kit, Outcome } from '../../machine/kit.ts';
import type { Ctx, Ev } from '../../machine/setup.ts';
import type { Option } from '../../replies.ts';
import type { Scenario } from '../../scenario/schema.ts';
import {
  CHECKOUT_VARS,
  END,
  type AskSpec,
  type FlowStep,
  type PerLang,
  type SlotType,
} from '../../scenario/flowSchema.ts';
import { startEscalation } from '../escalation.ts';
import { startSearch } from '../search.ts';
import { KNOWN_ANSWER, paymentChoices, shownAnswer, slotValue } from './slotValues.ts';
import { askSpec, METHOD_TEXT } from './spec.ts';
import { checkoutVars, placeOrder, prepareCheckout } from '../checkout.ts';
import type { PaymentMethod } from '../../events.ts';

/**
 * What designer flow steps do (states.ts says when): say a text with its buttons or image, ask a
 * question with the way out (cancel, a manager) beside its choices, keep an answer in a slot, and
 * act — record a lead, hand to a manager with the slots, schedule a reminder, search, track.
 * Texts are the step's own, in the shopper's language, with `{slot}` filled from the answers.
 */
type At = { flow: string; step: string };

const index = new WeakMap<Scenario, Map<string, FlowStep>>();
function stepAt(k: Kit, at: At): FlowStep | undefined {
  let steps = index.get(k.s);
  if (!steps) {
    steps = new Map();
    for (const flow of Object.values(k.s.flows)) for (const s of flow.steps) steps.set(`${flow.name}/${s.id}`, s);
    index.set(k.s, steps);
  }
  return steps.get(`${at.flow}/${at.step}`);
}

const slotsOf = (ctx: Ctx) => ctx.flow?.slots ?? {};
/** a step's text in the shopper's language, `{slot}` filled from the answers (and the checkout's `{cart}`, `{total}`…) */
function words(k: Kit, ctx: Ctx, text: PerLang): string {
  const slots = slotsOf(ctx);
  let vars: Record<string, string> | undefined;
  return text[ctx.lang].replace(/\{([a-z0-9_]+)\}/g, (whole, name: string) => {
    if (slots[name] !== undefined) return shownAnswer(slotType(k, ctx, name), slots[name]);
    if ((CHECKOUT_VARS as readonly string[]).includes(name)) return (vars ??= checkoutVars(k, ctx))[name] ?? whole;
    return whole;
  });
}

/** the type of the question that asks `slot` in the flow under way (text when none does) */
function slotType(k: Kit, ctx: Ctx, slot: string): SlotType {
  for (const s of k.s.flows[ctx.flow?.name ?? '']?.steps ?? [])
    if (s.kind === 'ask' && s.ask.slot === slot) return s.ask.type;
  return 'text';
}

/** the way out of any question: cancel, or a manager (who gets the answers so far) */
const wayOut = (k: Kit, ctx: Ctx): Option[] => [k.button(ctx, 'cancel', 'btnCancel'), k.button(ctx, 'm', 'btnManager')];

/** the question's own buttons: its choices, the city's stores or ways to pay, or «📱 share my number» */
function answerButtons(k: Kit, ctx: Ctx, ask: AskSpec): Option[] {
  switch (ask.type) {
    case 'choice':
      return (ask.choices ?? []).map((c) => ({ id: `f:${c.id}`, label: words(k, ctx, c.label) }));
    case 'store':
      return (ctx.checkout?.stores ?? []).map((s) => ({ id: `f:${s.id}`, label: s.name }));
    case 'payment':
      return paymentChoices(ctx, {}).map((m) => k.button(ctx, `f:${m.id}`, METHOD_TEXT[m.id as PaymentMethod]));
    case 'phone':
      // the web chat cannot vouch for a number: there the shopper types it
      return [
        ...(ctx.channel === 'web'
          ? []
          : [{ ...k.button(ctx, 'contact', 'btnShareContact'), request: 'contact' as const }]),
        ...knownAnswer(ctx, ask),
      ];
    default:
      return knownAnswer(ctx, ask);
  }
}

/** what the shopper answered last time, to give again with one tap */
function knownAnswer(ctx: Ctx, ask: AskSpec): Option[] {
  const known = ask.remember ? ctx.known?.[ask.slot] : undefined;
  if (!known) return [];
  return [{ id: KNOWN_ANSWER, label: clip(shownAnswer(ask.type, known), 60) }];
}

function question(k: Kit, ctx: Ctx, ask: AskSpec, text: PerLang): Outcome {
  return { effects: [k.ask(ctx, words(k, ctx, text), [...answerButtons(k, ctx, ask), ...wayOut(k, ctx)])] };
}

function say(k: Kit, ctx: Ctx, step: Extract<FlowStep, { kind: 'say' }>): Outcome {
  const text = words(k, ctx, step.text);
  const effects: Effect[] = [];
  if (step.image) effects.push({ type: 'reply', reply: { type: 'image', url: step.image } });
  if (step.buttons)
    effects.push(
      k.ask(
        ctx,
        text,
        step.buttons.map((b) => ({ id: `f:${b.id}`, label: words(k, ctx, b.label) })),
      ),
    );
  // the last words of a flow come with the menu, so the shopper sees where to go from here
  else if (step.next === END) effects.push(k.ask(ctx, text, k.menuOptions(ctx)));
  else effects.push({ type: 'reply', reply: { type: 'text', text } });
  return { effects };
}

/** the answers as one line for a manager: `address: Абая 1, phone: +77011234567` */
const summary = (flow: string, slots: Record<string, string>) =>
  `flow ${flow}: ${Object.entries(slots)
    .map(([name, value]) => `${name}: ${value}`)
    .join(', ')}`;

function act(k: Kit, ctx: Ctx, ev: EngineEvent, step: Extract<FlowStep, { kind: 'act' }>, flow: string): Outcome {
  const slots = slotsOf(ctx);
  const at = 'at' in ev ? ev.at : '';
  const a = step.act;
  switch (a.kind) {
    case 'lead':
      // no `track` here: the host counts every recorded lead as one `lead` event (hosts/runtime/records.ts)
      return { effects: [{ type: 'recordLead', flow, slots: { ...slots }, history: ctx.history }] };
    case 'escalate':
      return k.seq(
        ctx,
        (c) => startEscalation(k, c, 'request', summary(flow, slots)),
        () => ({ context: { flow: null } }),
      );
    case 'remind':
      return k.seq(
        ctx,
        (c) => k.schedule(c, 'remind', at, a.afterMs),
        (c) => {
          const timerId = c.timers.find((t) => t.startsWith('remind:'));
          return { context: { reminder: timerId ? { timerId, text: clip(words(k, c, a.text), 1_000) } : null } };
        },
      );
    case 'search':
      return k.seq(
        ctx,
        (c) =>
          startSearch(k, c, { query: clip(words(k, c, { ru: a.query, kk: a.query, en: a.query }), 200) }, 1, 'text'),
        () => ({ context: { flow: null } }),
      );
    case 'track':
      return { effects: [{ type: 'track', name: a.name, props: { flow, ...slots } }] };
    case 'menu':
      return { context: { flow: null }, effects: [k.withMenu(ctx, 'menuPrompt')] };
    case 'flow':
      return {};
    case 'checkout':
      return prepareCheckout(ctx);
    case 'order':
      return placeOrder(k, ctx);
  }
}

type AskStep = Extract<FlowStep, { kind: 'ask' }>;
const askAt = (k: Kit, at: At) => {
  const step = stepAt(k, at);
  return step?.kind === 'ask' ? step : undefined;
};

export const designerActions = {
  /** a flow starts afresh: no answers yet */
  startFlow: (_k, _c, _ev, p: { flow: string }) => ({
    context: { flow: { name: p.flow, slots: {} } },
    effects: [{ type: 'track', name: 'flow_started', props: { flow: p.flow } }],
  }),
  flowSay: (k, c, _ev, p: At) => {
    const step = stepAt(k, p);
    return step?.kind === 'say' ? say(k, c, step) : {};
  },
  flowAsk: (k, c, _ev, p: At) => {
    const step = askAt(k, p);
    return step ? question(k, c, step.ask, step.ask.text) : {};
  },
  flowReask: (k, c, ev: EngineEvent, p: At) => {
    const step = askAt(k, p);
    if (!step) return {};
    // someone else's contact card: the number may be fine, it is just not theirs — say so
    if (ev.type === 'contact' && !ev.own)
      return { effects: [k.ask(c, k.text(c, 'phoneNotOwn'), [...answerButtons(k, c, step.ask), ...wayOut(k, c)])] };
    return question(k, c, step.ask, step.ask.reask);
  },
  /** the answer, as its slot type reads it, kept under the slot's name */
  flowStore: (k, c, ev: EngineEvent, p: At) => {
    const step: AskStep | undefined = askAt(k, p);
    const value = step ? slotValue(ev, askSpec(k, step.ask), c) : null;
    if (!step || value === null) return {};
    const slot = step.ask.slot;
    return {
      context: {
        flow: { name: p.flow, slots: { ...slotsOf(c), [slot]: value } },
        ...(step.ask.remember ? { known: { ...c.known, [slot]: value } } : {}),
      },
    };
  },
  flowAct: (k, c, ev: EngineEvent, p: At) => {
    const step = stepAt(k, p);
    return step?.kind === 'act' ? act(k, c, ev, step, p.flow) : {};
  },
  /** the shopper left a question: nothing is kept, the menu is back */
  flowCancel: (k, c) => ({
    context: { flow: null },
    effects: [
      k.withMenu(c, 'flowCancelled'),
      { type: 'track', name: 'flow_cancelled', props: { flow: c.flow?.name ?? '' } },
    ],
  }),
  /** the shopper wrote something else instead of an answer (`otherwise: leave`): the flow is over */
  leaveFlow: (_k, c) => ({
    context: { flow: null },
    effects: [{ type: 'track', name: 'flow_left', props: { flow: c.flow?.name ?? '' } }],
  }),
  /** a manager asked for from a question: the answers so far go along */
  flowEscalate: (k, c) =>
    k.seq(
      c,
      (x) => startEscalation(k, x, 'request', summary(x.flow?.name ?? '', slotsOf(x))),
      () => ({ context: { flow: null } }),
    ),
  /** the flow reached its end; `menu`: say so with the menu (a say step ending the flow already shows it) */
  endFlow: (k, c, _ev, p: { menu: boolean }) => ({
    context: { flow: null },
    effects: [
      ...(p.menu ? [k.withMenu(c, 'menuPrompt')] : []),
      { type: 'track', name: 'flow_completed', props: { flow: c.flow?.name ?? '' } },
    ],
  }),
  /** a flow's reminder is due: its words and the menu */
  remind: (k, c, ev: Ev<'timer.fired'>) => ({
    context: { timers: c.timers.filter((t) => t !== ev.timerId), reminder: null },
    effects: [k.ask(c, c.reminder?.text ?? '', k.menuOptions(c)), { type: 'track', name: 'flow_reminder' }],
  }),
} satisfies ActionTable;
