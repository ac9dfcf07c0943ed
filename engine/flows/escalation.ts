import { clip, INPUT_TEXT_MAX, remember } from '../context.ts';
import type { EscalationTrigger, ShopperMedia } from '../effects.ts';
import type { EngineEvent } from '../events.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx } from '../machine/setup.ts';
import { IDLE } from './search.ts';

/**
 * Escalation: hand the conversation to a human. While a manager is on it the bot is silent:
 * shopper messages are forwarded, manager replies relayed, and an SLA timer tells the shopper
 * once if nobody answered in time. `manager.resolved` hands the conversation back.
 *
 *   escalation.requesting ── escalate.done ──▶ escalation.withManager.waiting
 *   withManager.waiting ── manager.replied ──▶ withManager.talking
 *   withManager.* ── manager.resolved ──▶ idle
 */
export const REQUESTING = '#zeta.escalation.requesting';
const WAITING = '#zeta.escalation.withManager.waiting';
const TALKING = '#zeta.escalation.withManager.talking';

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

/** what the manager sees for a shopper message of any kind */
export function forwardText(event: EngineEvent): string {
  switch (event.type) {
    case 'text': return clip(event.text, INPUT_TEXT_MAX);
    case 'voice': return `🎤 voice: ${event.ref}`;
    case 'image': return `📷 photo: ${event.ref}${event.caption ? ` — ${clip(event.caption, INPUT_TEXT_MAX)}` : ''}`;
    case 'choice': return `[button] ${event.id}`;
    case 'command': return `/${event.command}${event.args ? ` ${event.args}` : ''}`;
    case 'location': return `📍 ${event.latitude}, ${event.longitude}`;
    case 'unsupported': return `[${event.kind}]`;
    default: return '';
  }
}

function forward(k: Kit, ctx: Ctx, event: EngineEvent): Outcome {
  const text = forwardText(event);
  if (!ctx.escalationId || text === '') return {};
  const at = 'at' in event ? event.at : '';
  return {
    context: { history: remember(ctx, k.historyLimit(ctx), 'shopper', text, at) },
    effects: [{ type: 'forwardToManager', escalationId: ctx.escalationId, text, ...mediaOf(event) }],
  };
}

function mediaOf(event: EngineEvent): { media?: ShopperMedia } {
  if (event.type === 'image') return { media: { kind: 'photo', ref: event.ref, ...(event.caption ? { caption: clip(event.caption, INPUT_TEXT_MAX) } : {}) } };
  if (event.type === 'voice') return { media: { kind: 'voice', ref: event.ref } };
  if (event.type === 'unsupported' && event.ref) return { media: { kind: 'document', ref: event.ref } };
  return {};
}

const expected = (ctx: Ctx, timerId: string) => ctx.timers.includes(timerId);

export function escalationStates(k: Kit) {
  const relay = { actions: k.act((ctx, ev) => forward(k, ctx, ev)) };
  return engine.createStateConfig({
    initial: 'requesting',
    states: {
      requesting: {
        on: {
          'escalate.done': {
            target: WAITING,
            actions: k.act<'escalate.done'>((ctx, ev) =>
              k.seq(
                ctx,
                () => ({ context: { escalationId: clip(ev.escalationId, 200) }, effects: [k.say(ctx, 'escalated')] }),
                (c) => k.schedule(c, 'sla', ev.at, k.s.timers.managerSlaMs),
              ),
            ),
          },
          'effect.failed': {
            guard: ({ event }) => event.effect === 'escalate',
            target: IDLE,
            actions: k.act((ctx) => ({ context: { pending: null }, effects: [k.withMenu(ctx, 'escalationFailed')] })),
          },
        },
      },
      withManager: {
        initial: 'waiting',
        on: {
          text: relay, voice: relay, image: relay, choice: relay, command: relay, location: relay, unsupported: relay,
          'manager.replied': {
            target: TALKING,
            actions: k.act<'manager.replied'>((ctx, ev) =>
              k.seq(
                ctx,
                (c) => k.unschedule(c, 'sla'),
                (c) => ({
                  effects: [k.say(c, 'managerMessage', { manager: clip(ev.managerName ?? k.text(c, 'managerDefaultName'), 60), text: clip(ev.text, 3_000) })],
                  speaker: 'manager',
                }),
              ),
            ),
          },
          'manager.resolved': {
            target: IDLE,
            actions: k.act((ctx) =>
              k.seq(
                ctx,
                (c) => k.unschedule(c, 'sla'),
                (c) => ({ context: { escalationId: null, failedTurns: 0 }, effects: [k.withMenu(c, 'managerResolved'), { type: 'track', name: 'escalation_resolved' }] }),
              ),
            ),
          },
          // any timer here is stale except the SLA one handled in `waiting`; forget it quietly
          'timer.fired': { actions: k.act<'timer.fired'>((ctx, ev) => (expected(ctx, ev.timerId) ? { context: { timers: ctx.timers.filter((t) => t !== ev.timerId) } } : {})) },
        },
        states: {
          waiting: {
            on: {
              'timer.fired': {
                guard: ({ context, event }) => event.timerId.startsWith('sla:') && expected(context, event.timerId),
                actions: k.act<'timer.fired'>((ctx, ev) => ({
                  context: { timers: ctx.timers.filter((t) => t !== ev.timerId) },
                  effects: [k.say(ctx, 'managerBusy'), { type: 'track', name: 'manager_sla_missed' }],
                })),
              },
            },
          },
          talking: {},
        },
      },
    },
  });
}
