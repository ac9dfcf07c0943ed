import { randomUUID } from 'node:crypto';
import type { Effect, OrderRequest } from '../../engine/effects.ts';
import type { EngineEvent } from '../../engine/events.ts';
import type { AfterHours } from '../../engine/hours.ts';
import type { EffectSimulator } from '../runtime/ports.ts';

/** What a draft conversation would have done to the world, shown to the designer instead. */
export type SimulatedEffect = { effect: string; summary: string };

/**
 * Effects that reach people or tables outside the conversation: a draft only pretends them.
 * By name, so an effect type added to the engine later (leads from designer flows) is simulated
 * as soon as it exists; the test beside this file fails for an effect type that is
 * neither here nor on its list of effects a draft may carry out.
 */
export const OUTWARD_EFFECTS: ReadonlySet<string> = new Set([
  'escalate',
  'forwardToManager',
  'closeEscalation',
  'createAlert',
  'cancelAlert',
  // designer flows' leads (issue 19); the CRM delivery of a lead follows from its row, so it never happens either
  'recordLead',
  // an order is a row, a CRM deal, a payment link and news to the shopper: a draft's checkout is only pretended
  'placeOrder',
]);

/** the timer kind of a designer flow's `remind` act (the engine's own timers are idle, sla, silence) */
const REMINDER = 'remind:';

const quote = (text: string, max = 120) => `«${text.length > max ? `${text.slice(0, max)}…` : text}»`;

function describe(effect: Effect): string {
  const any = effect as unknown as Record<string, unknown>;
  switch (effect.type) {
    case 'escalate':
      return `hand the conversation to a manager (trigger: ${effect.trigger}; ${effect.reason})`;
    case 'forwardToManager':
      return `forward to the manager: ${quote(effect.text || effect.media?.kind || '')}`;
    case 'closeEscalation':
      return `close the hand-off and tell the managers (${effect.why === 'shopper' ? 'the shopper went back to the bot' : 'it fell silent'})`;
    case 'createAlert':
      return effect.target.kind === 'product'
        ? `watch the price of ${effect.target.sku}${effect.target.targetPrice ? ` until it is ${effect.target.targetPrice} or less` : ''}`
        : 'watch a search that has no results yet';
    case 'cancelAlert':
      return `stop watching ${effect.sku ?? 'every price'}`;
    case 'placeOrder': {
      const { lines, delivery, method, total, currency } = effect.order;
      const where =
        delivery.kind === 'pickup' ? `pickup at ${delivery.store}` : `delivery to ${quote(delivery.address)}`;
      return `place an order of ${lines.length} line(s), ${total} ${currency}, ${where}, paid by ${method}`;
    }
  }
  if (any.type === 'recordLead') {
    const slots = Object.entries((any.slots ?? {}) as Record<string, unknown>)
      .map(([k, v]) => `${k}=${String(v)}`)
      .join(', ');
    return `record a lead from flow "${String(any.flow ?? '?')}"${slots ? `: ${slots}` : ''}`;
  }
  const { type, ...rest } = any;
  return `${String(type)} ${JSON.stringify(rest).slice(0, 300)}`;
}

export type DraftSimulatorOptions = {
  /** the live port's read of the city's managers' hours: a draft hand-off after hours says so */
  managersAway: (city: string, at: Date) => Promise<AfterHours | null>;
  clock: () => Date;
};

/**
 * The draft space's effect sink: outward effects are answered as the engine expects (an escalation
 * id, an alert id) and noted per conversation for the playground to show as "would have: …".
 */
export class DraftSimulator implements EffectSimulator {
  readonly #notes = new Map<string, SimulatedEffect[]>();
  readonly #opts: DraftSimulatorOptions;

  constructor(opts: DraftSimulatorOptions) {
    this.#opts = opts;
  }

  async simulate(effect: Effect, turn: { address: { city: string }; conversationKey: string }) {
    if (effect.type === 'schedule' && effect.timerId.startsWith(REMINDER)) {
      // a designer flow's reminder: the draft space keeps no timers, so the designer is told when it would come
      this.note(turn.conversationKey, { effect: 'remind', summary: `remind the shopper at ${effect.dueAt}` });
      return {};
    }
    if (!OUTWARD_EFFECTS.has(effect.type)) return undefined;
    this.note(turn.conversationKey, { effect: effect.type, summary: describe(effect) });
    const at = this.#opts.clock();
    if (effect.type === 'escalate') {
      const afterHours = await this.#opts.managersAway(turn.address.city, at).catch(() => null);
      return {
        event: {
          type: 'escalate.done' as const,
          escalationId: `draft-${randomUUID()}`,
          ...(afterHours ? { afterHours } : {}),
          at: at.toISOString(),
        },
      };
    }
    if (effect.type === 'createAlert')
      return { event: { type: 'createAlert.done' as const, alertId: `draft-${randomUUID()}`, at: at.toISOString() } };
    if (effect.type === 'placeOrder') return { event: draftOrder(effect.order, at) };
    return {};
  }

  /** something else the designer should see with the turn (a draft turn that failed) */
  note(conversationKey: string, note: SimulatedEffect): void {
    this.#notes.set(conversationKey, [...(this.#notes.get(conversationKey) ?? []), note]);
  }

  /** what the conversation's turns pretended since the last call (and forgets it) */
  take(conversationKey: string): SimulatedEffect[] {
    const list = this.#notes.get(conversationKey) ?? [];
    this.#notes.delete(conversationKey);
    return list;
  }
}

/** a draft's order as the engine expects it placed: number 1, paid as the shopper chose (a link that goes nowhere) */
function draftOrder(order: OrderRequest, at: Date): EngineEvent {
  const method = order.method;
  const payment =
    method === 'on_delivery' || method === 'at_pickup'
      ? ({ kind: 'on_receipt' } as const)
      : method === 'kaspi'
        ? ({ kind: 'kaspi_manual' } as const)
        : ({ kind: 'link', url: `https://pay.example.invalid/draft/${method}` } as const);
  return {
    type: 'order.placed',
    orderId: `draft-${randomUUID()}`,
    number: 1,
    total: order.total,
    currency: order.currency,
    payment,
    at: at.toISOString(),
  };
}
