import { clip, hasCriteria, INPUT_TEXT_MAX, remember } from '../context.ts';
import type { Effect, EscalationTrigger, ShopperMedia } from '../effects.ts';
import type { EngineEvent } from '../events.ts';
import type { ActionTable } from '../machine/actions.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import { flowEntry, IDLE, TALKING, WAITING } from '../machine/stateIds.ts';
import { intentOf, labelWords } from '../machine/read.ts';

/**
 * Escalation: hand the conversation to a human. While a manager is on it the bot is silent:
 * shopper messages are forwarded, manager replies relayed, and an SLA timer tells the shopper
 * once if nobody answered in time. Outside the city's working hours (the host says so on
 * `escalate.done`) the shopper is told when managers answer and may leave a message. The hand-off
 * ends when the manager resolves it, when the shopper goes back to the bot («Вернуться к боту»,
 * `/start`, `/menu`), or after the scenario's silence — the last two close it for the manager too.
 *
 *   escalation.requesting ── escalate.done ──▶ escalation.withManager.waiting
 *   withManager.waiting ── manager.replied ──▶ withManager.talking
 *   withManager.* ── manager.resolved | choice bot | silence timer ──▶ idle
 */

export function startEscalation(k: Kit, ctx: Ctx, trigger: EscalationTrigger, reason: string): Outcome {
  return k.seq(
    ctx,
    (c) => k.unschedule(c, 'idle'),
    (c) => ({
      context: { failedTurns: 0, pending: null },
      effects: [
        { type: 'escalate', reason: clip(reason, 500), trigger, history: c.history },
        { type: 'track', name: 'escalation', props: { trigger } },
      ],
    }),
  );
}

/** after repeated misunderstanding: a button to call a manager, the shopper decides */
function offerManager(k: Kit, ctx: Ctx): Outcome {
  const failedTurns = ctx.failedTurns + 1;
  return {
    context: { failedTurns },
    effects: [
      k.ask(ctx, k.text(ctx, 'offerManager'), [k.button(ctx, 'm', 'btnManager'), k.button(ctx, 'menu', 'btnMenu')]),
      { type: 'track', name: 'manager_offered', props: { failedTurns } },
    ],
  };
}

/** what the manager sees for a shopper message of any kind */
export function forwardText(event: EngineEvent): string {
  switch (event.type) {
    case 'text':
      return clip(event.text, INPUT_TEXT_MAX);
    case 'voice':
      return `🎤 voice: ${event.ref}`;
    case 'image':
      return `📷 photo: ${event.ref}${event.caption ? ` — ${clip(event.caption, INPUT_TEXT_MAX)}` : ''}`;
    case 'choice':
      return `[button] ${event.id}`;
    case 'command':
      return `/${event.command}${event.args ? ` ${event.args}` : ''}`;
    case 'location':
      return `📍 ${event.latitude}, ${event.longitude}`;
    case 'unsupported':
      return `[${event.kind}]`;
    default:
      return '';
  }
}

/**
 * A shopper's message as the manager of the conversation's hand-off gets it; none when no manager
 * is on it. The runtime uses it too: a message over the shopper's per-minute limit gets no turn,
 * but while a manager is on the conversation it still reaches them.
 */
export function managerForward(
  ctx: { escalationId: string | null },
  event: EngineEvent,
): Extract<Effect, { type: 'forwardToManager' }> | undefined {
  const text = forwardText(event);
  if (!ctx.escalationId || text === '') return undefined;
  return { type: 'forwardToManager', escalationId: ctx.escalationId, text, ...mediaOf(event) };
}

function forward(k: Kit, ctx: Ctx, event: EngineEvent): Outcome {
  const effect = managerForward(ctx, event);
  if (!effect) return {};
  const at = 'at' in event ? event.at : '';
  return {
    context: { history: remember(ctx, k.historyLimit(ctx), 'shopper', effect.text, at) },
    effects: [effect],
  };
}

function mediaOf(event: EngineEvent): { media?: ShopperMedia } {
  if (event.type === 'image')
    return {
      media: {
        kind: 'photo',
        ref: event.ref,
        ...(event.caption ? { caption: clip(event.caption, INPUT_TEXT_MAX) } : {}),
      },
    };
  if (event.type === 'voice') return { media: { kind: 'voice', ref: event.ref } };
  if (event.type === 'unsupported' && event.ref) return { media: { kind: 'document', ref: event.ref } };
  return {};
}

const wayBackButton = (k: Kit, ctx: Ctx) => k.button(ctx, 'bot', 'btnBackToBot');

/** silence is counted from the shopper's or manager's last word, or from when managers are in again */
function restartSilence(k: Kit, ctx: Ctx, at: string): Outcome {
  const from = ctx.managersFrom && Date.parse(ctx.managersFrom) > Date.parse(at) ? ctx.managersFrom : at;
  return k.schedule(ctx, 'silence', from, k.s.timers.escalationSilenceMs);
}

function handedOver(k: Kit, ctx: Ctx, ev: Ev<'escalate.done'>): Outcome {
  const away = ev.afterHours;
  const base = { escalationId: clip(ev.escalationId, 200), managersFrom: away?.opensAt ?? null };
  if (!away) {
    return k.seq(
      ctx,
      () => ({ context: base, effects: [k.ask(ctx, k.text(ctx, 'escalated'), [wayBackButton(k, ctx)])] }),
      (c) => k.schedule(c, 'sla', ev.at, k.s.timers.managerSlaMs),
      (c) => restartSilence(k, c, ev.at),
    );
  }
  // after hours there is no SLA to miss; the shopper is told when managers answer and may leave a message
  const text =
    away.inDays === 0
      ? k.text(ctx, 'afterHoursToday', { time: away.time })
      : away.inDays === 1
        ? k.text(ctx, 'afterHoursTomorrow', { time: away.time })
        : k.text(ctx, 'afterHoursLater', { date: away.date, time: away.time });
  return k.seq(
    ctx,
    () => ({
      context: base,
      effects: [
        k.ask(ctx, text, [wayBackButton(k, ctx)]),
        { type: 'track', name: 'escalation_after_hours', props: { inDays: away.inDays } },
      ],
    }),
    (c) => restartSilence(k, c, ev.at),
  );
}

/** the hand-off ends from the shopper's side (way back) or by silence: close it, tell the manager, the bot is back */
function closeHandOff(k: Kit, ctx: Ctx, why: 'shopper' | 'silence'): Outcome {
  return k.seq(
    ctx,
    (c) => k.unschedule(c, 'sla'),
    (c) => k.unschedule(c, 'silence'),
    (c) => ({
      context: { escalationId: null, managersFrom: null, failedTurns: 0, pending: null },
      effects: [
        ...(c.escalationId ? [{ type: 'closeEscalation' as const, escalationId: c.escalationId, why }] : []),
        k.withMenu(c, why === 'shopper' ? 'backToBot' : 'escalationSilenceClosed'),
        { type: 'track', name: 'escalation_closed', props: { by: why } },
      ],
    }),
  );
}

/** `/start`, `/menu` and `/bot` while a manager has the conversation take the shopper back to the bot */
const WAY_BACK_COMMANDS = ['start', 'menu', 'bot'];

/** the way-back button's label in every language of the scenario, as words */
const backToBotLabels = (k: Kit) => [
  ...new Set(
    Object.values(k.s.texts)
      .map((texts) => labelWords(texts.btnBackToBot ?? ''))
      .filter((label) => label !== ''),
  ),
];

/** who asked for the hand-off: after misunderstandings or zero results the manager button still says why */
function triggerOf(k: Kit, c: Ctx): EscalationTrigger {
  if (c.failedTurns >= k.s.escalation.maxFailedTurns) return 'failures';
  return c.total === 0 && hasCriteria(c.criteria) ? 'no_results' : 'request';
}

export const escalationActions = {
  escalate: (k, c, _ev, p: { reason: string }) => startEscalation(k, c, triggerOf(k, c), p.reason),
  escalateAngry: (k, c) => startEscalation(k, c, 'angry', 'angry wording'),
  escalateAsked: (k, c, ev: EngineEvent) =>
    startEscalation(k, c, 'request', intentOf(ev, 'escalate_to_manager')?.args.reason || 'shopper asked for a manager'),
  offerManager: (k, c) => offerManager(k, c),
  handOver: (k, c, ev: Ev<'escalate.done'>) => handedOver(k, c, ev),
  escalationFailed: (k, c) => ({ context: { pending: null }, effects: [k.withMenu(c, 'escalationFailed')] }),
  relayToManager: (k, c, ev: EngineEvent) =>
    k.seq(
      c,
      (x) => forward(k, x, ev),
      (x) => restartSilence(k, x, 'at' in ev ? ev.at : ''),
    ),
  /** a manager wrote: the SLA is met, silence counts from now */
  managerAnswered: (k, c, ev: Ev<'manager.replied'>) =>
    k.seq(
      c,
      (x) => k.unschedule(x, 'sla'),
      (x) => restartSilence(k, x, ev.at),
    ),
  /** the manager's words to the shopper, in the manager's name */
  relayManagerMessage: (k, c, ev: Ev<'manager.replied'>) => ({
    effects: [
      k.say(c, 'managerMessage', {
        manager: clip(ev.managerName ?? k.text(c, 'managerDefaultName'), 60),
        text: clip(ev.text, 3_000),
      }),
    ],
    speaker: 'manager',
  }),
  /** `menu: false`: a designer flow (the scenario's `escalation.afterResolved` survey) asks next */
  managerResolved: (k, c, _ev, p: { menu: boolean }) =>
    k.seq(
      c,
      (x) => k.unschedule(x, 'sla'),
      (x) => k.unschedule(x, 'silence'),
      (x) => ({
        context: { escalationId: null, managersFrom: null, failedTurns: 0 },
        effects: [
          p.menu ? k.withMenu(x, 'managerResolved') : k.say(x, 'managerResolved'),
          { type: 'track', name: 'escalation_resolved' },
        ],
      }),
    ),
  closeHandOff: (k, c, _ev, p: { by: 'shopper' | 'silence' }) => closeHandOff(k, c, p.by),
  slaMissed: (k, c, ev: Ev<'timer.fired'>) => ({
    context: { timers: c.timers.filter((t) => t !== ev.timerId) },
    effects: [k.ask(c, k.text(c, 'managerBusy'), [wayBackButton(k, c)]), { type: 'track', name: 'manager_sla_missed' }],
  }),
} satisfies ActionTable;

/** a resolved hand-off goes back to the menu, or into the scenario's survey flow */
function resolved(k: Kit) {
  const survey = k.s.escalation.afterResolved;
  if (survey === undefined || !Object.hasOwn(k.s.flows, survey))
    return { target: IDLE, actions: { type: 'managerResolved', params: { menu: true } } } as const;
  return {
    target: flowEntry(survey),
    actions: [
      { type: 'managerResolved', params: { menu: false } },
      { type: 'startFlow', params: { flow: survey } },
    ],
  } as const;
}

export function escalationStates(k: Kit) {
  const relay = { actions: 'relayToManager' } as const;
  const wayBack = { target: IDLE, actions: { type: 'closeHandOff', params: { by: 'shopper' } } } as const;
  return engine.createStateConfig({
    initial: 'requesting',
    states: {
      requesting: {
        on: {
          'escalate.done': { target: WAITING, actions: 'handOver' },
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'escalate' } },
            target: IDLE,
            actions: 'escalationFailed',
          },
        },
      },
      withManager: {
        initial: 'waiting',
        on: {
          text: [{ guard: { type: 'typedLabel', params: { labels: backToBotLabels(k) } }, ...wayBack }, relay],
          voice: relay,
          image: relay,
          location: relay,
          unsupported: relay,
          choice: [{ guard: { type: 'choice', params: { id: 'bot' } }, ...wayBack }, relay],
          command: [{ guard: { type: 'command', params: { names: WAY_BACK_COMMANDS } }, ...wayBack }, relay],
          'manager.replied': { target: TALKING, actions: ['managerAnswered', 'relayManagerMessage'] },
          'manager.resolved': resolved(k),
          'timer.fired': [
            {
              guard: { type: 'ownTimer', params: { kind: 'silence' } },
              target: IDLE,
              actions: ['forgetTimer', { type: 'closeHandOff', params: { by: 'silence' } }],
            },
            // any other timer here is stale except the SLA one handled in `waiting`; forget it quietly
            { actions: 'forgetTimer' },
          ],
        },
        states: {
          waiting: {
            on: {
              'timer.fired': { guard: { type: 'ownTimer', params: { kind: 'sla' } }, actions: 'slaMissed' },
            },
          },
          talking: {},
        },
      },
    },
  });
}
