import type { Lang } from '../../engine/catalog.ts';
import type { Effect } from '../../engine/effects.ts';
import type { EngineEvent } from '../../engine/events.ts';
import type { Reply } from '../../engine/replies.ts';
import { runEffectLoop, step, type Persisted, type Scenario } from '../../engine/index.ts';
import type { TimerQueue } from '../../storage/state/types.ts';
import type { ConversationAddress } from './address.ts';
import { boundedLead, type RecordedLead } from './leads.ts';
import { isMediaTooLarge, type Media, type RuntimePorts, type TrackedEvent } from './ports.ts';

/** A turn may loop effect results back into the engine; this bounds a misbehaving scenario. */
const MAX_STEPS_PER_TURN = 24;
const SLOW_EFFECTS = new Set<Effect['type']>(['readImage', 'describeImage', 'transcribe']);

export type TurnInput = {
  address: ConversationAddress;
  conversationKey: string;
  scenario: Scenario;
  persisted: Persisted | undefined;
  event: EngineEvent;
  /** unique per inbound message: makes escalations and alerts idempotent across retries */
  idempotencyKey: string;
  /** language of a conversation that starts with this event */
  lang?: Lang;
  /** staff talking to the bot (see `AcceptHint.testTraffic`): an order placed in this turn is a test order */
  testTraffic: boolean;
};

/** A timer change the turn asked for; applied by the runtime alongside the commit, not in the turn. */
export type TimerOp = { op: 'schedule'; timerId: string; dueAt: string } | { op: 'cancel'; timerId: string };

export type TurnResult = {
  persisted: Persisted;
  replies: Reply[];
  tracked: TrackedEvent[];
  timers: TimerOp[];
  /** written with the turn's records once it is committed, not here: a turn run again leaves one */
  leads: RecordedLead[];
  warnings: string[];
};

export const timerKey = (conversationKey: string, timerId: string) => `${conversationKey}|${timerId}`;

/**
 * Runs one inbound event through the engine's effect loop (the one transcript replay runs too),
 * carrying out effects against the runtime's ports. Replies and timer changes are collected, not
 * carried out: the caller commits the snapshot (and applies the timers alongside), then sends.
 */
export async function runTurn(ports: RuntimePorts, input: TurnInput): Promise<TurnResult> {
  const { address, conversationKey, scenario } = input;
  const replies: Reply[] = [];
  const tracked: TrackedEvent[] = [];
  const timers: TimerOp[] = [];
  const leads: RecordedLead[] = [];
  const warnings: string[] = [];
  const media = new Map<string, Promise<Media>>();
  const channel = ports.channels[address.channel];
  let typingSent = false;
  let persisted = input.persisted;
  let escalations = 0;

  const now = () => ports.clock();
  const modelScope = { city: address.city, modelCallsPerDay: scenario.limits.modelCallsPerDay };
  const fetchMedia = (ref: string) => {
    let pending = media.get(ref);
    if (!pending) {
      if (!channel) throw new Error(`no channel port for ${address.channel}`);
      pending = channel.fetchMedia(address, ref);
      media.set(ref, pending);
    }
    return pending;
  };

  const checkoutPort = () => {
    if (!ports.checkout) throw new Error('checkout is not set up on this platform');
    return ports.checkout;
  };

  async function execute(effect: Effect): Promise<EngineEvent | undefined> {
    const at = now().toISOString();
    switch (effect.type) {
      case 'reply':
        replies.push(effect.reply);
        return undefined;
      case 'understand': {
        const understanding = await ports.brain.understand({
          ...modelScope,
          channel: address.channel,
          text: effect.text,
          lang: effect.lang,
          history: effect.history,
          ...(effect.criteria ? { criteria: effect.criteria } : {}),
          ...(effect.focusSku ? { focusSku: effect.focusSku } : {}),
          intents: scenario.intents,
        });
        return { type: 'understand.done', understanding, at };
      }
      case 'search': {
        const { items, total, totalCapped, relaxed } = await ports.catalog.search(
          address.city,
          effect.criteria,
          effect.page,
          effect.pageSize,
        );
        return {
          type: 'search.done',
          items,
          total,
          ...(totalCapped ? { totalCapped: true } : {}),
          ...(relaxed && relaxed.dropped.length > 0 ? { relaxed: { dropped: relaxed.dropped } } : {}),
          at,
        };
      }
      case 'lookupSku':
        return {
          type: 'lookupSku.done',
          sku: effect.sku,
          product: await ports.catalog.bySku(address.city, effect.sku),
          at,
        };
      case 'readImage': {
        const text = ports.ocr ? await ports.ocr.read(await fetchMedia(effect.ref)) : '';
        return { type: 'readImage.done', text, at };
      }
      case 'describeImage': {
        const description = ports.vision ? await ports.vision.describe(await fetchMedia(effect.ref), modelScope) : null;
        return { type: 'describeImage.done', description, at };
      }
      case 'transcribe': {
        const text = ports.transcriber
          ? await ports.transcriber.transcribe(await fetchMedia(effect.ref), effect.lang, modelScope)
          : null;
        return { type: 'transcribe.done', text, at };
      }
      case 'escalate': {
        const escalationId = await ports.escalations.open({
          address,
          conversationKey,
          reason: effect.reason,
          trigger: effect.trigger,
          history: effect.history,
          idempotencyKey: `${input.idempotencyKey}#${escalations++}`,
        });
        // the hand-off is open whatever the hours say: an unreadable city setting must not lose it
        const afterHours = await ports.escalations.managersAway(address.city, now()).catch((error: unknown) => {
          if (isUnavailable(error)) throw error;
          ports.log.warn(
            { conversationKey, err: error instanceof Error ? error.message : String(error) },
            "managers' hours unknown; managers treated as in",
          );
          return null;
        });
        return { type: 'escalate.done', escalationId, ...(afterHours ? { afterHours } : {}), at };
      }
      case 'forwardToManager':
        await ports.escalations.shopperWrote(effect.escalationId, effect.text, effect.media);
        return undefined;
      case 'closeEscalation':
        await ports.escalations.close(effect.escalationId, effect.why);
        return undefined;
      case 'createAlert':
        return {
          type: 'createAlert.done',
          alertId: await ports.alerts.create(address, conversationKey, effect.target),
          at,
        };
      case 'cancelAlert':
        await ports.alerts.cancel(conversationKey, effect.sku);
        return undefined;
      case 'recordLead':
        leads.push(boundedLead(effect));
        return undefined;
      case 'prepareCheckout': {
        const ready = await checkoutPort().prepare({ address, conversationKey }, effect.lines);
        return { type: 'checkout.ready', ...ready, at };
      }
      case 'placeOrder': {
        const placed = await checkoutPort().place(
          {
            address,
            conversationKey,
            idempotencyKey: `${input.idempotencyKey}#order`,
            testTraffic: input.testTraffic,
          },
          effect.order,
        );
        return 'reason' in placed ? { type: 'order.refused', ...placed, at } : { type: 'order.placed', ...placed, at };
      }
      case 'findOrders': {
        const orders = await checkoutPort().find({ address, conversationKey }, effect.number);
        return { type: 'orders.found', orders, at };
      }
      case 'forgetPreferences':
        await ports.profiles?.forget(conversationKey);
        return undefined;
      case 'recommend': {
        const items = ports.profiles ? await ports.profiles.recommend(conversationKey, address.city, effect.limit) : [];
        return { type: 'recommend.done', items, at };
      }
      case 'track':
        tracked.push({
          name: effect.name,
          address,
          conversationKey,
          ...(effect.props ? { props: effect.props } : {}),
          at: now(),
        });
        return undefined;
      case 'schedule':
        timers.push({ op: 'schedule', timerId: effect.timerId, dueAt: effect.dueAt });
        return undefined;
      case 'cancel':
        timers.push({ op: 'cancel', timerId: effect.timerId });
        return undefined;
      case 'warning':
        warnings.push(effect.message);
        return undefined;
    }
  }

  const startLang = input.lang ?? ports.cityLanguage?.(address.city);
  const init = { channel: address.channel, ...(startLang ? { lang: startLang } : {}) };
  const end = await runEffectLoop(
    {
      maxSteps: MAX_STEPS_PER_TURN,
      step(event) {
        const result = step(scenario, persisted, event, init);
        persisted = result.persisted;
        return result.effects;
      },
      async perform(effect) {
        if (!typingSent && SLOW_EFFECTS.has(effect.type) && channel?.typing) {
          typingSent = true;
          channel.typing(address).catch(() => undefined);
        }
        try {
          // only the playground's draft space has a simulator; the live bot's turns never ask
          if (ports.simulator) {
            const simulated = await ports.simulator.simulate(effect, { address, conversationKey });
            if (simulated) return simulated.event;
          }
          return await execute(effect);
        } catch (error) {
          // the database or Redis being away is not the shopper's problem: abort the turn, keep the
          // message in the inbox and let the runtime retry it with back-off
          if (isUnavailable(error)) throw error;
          const reason = error instanceof Error ? error.message : String(error);
          ports.log.warn({ conversationKey, effect: effect.type, err: reason }, 'effect failed');
          return {
            type: 'effect.failed',
            effect: effect.type,
            reason: reason.slice(0, 500),
            ...(isMediaTooLarge(error) ? { code: 'media_too_large' as const } : {}),
            at: now().toISOString(),
          };
        }
      },
    },
    input.event,
  );
  if (end.kind === 'tooManySteps') warnings.push(`turn stopped after ${MAX_STEPS_PER_TURN} steps`);
  return { persisted: persisted!, replies, tracked, timers, leads, warnings };
}

/**
 * Carries out a turn's timer changes: changes to different timers in parallel (one pipelined
 * round trip on Redis), changes to the same timer in order. Idempotent, so a turn whose delivery
 * is retried can apply them again.
 */
export async function applyTimers(queue: TimerQueue, conversationKey: string, ops: readonly TimerOp[]): Promise<void> {
  const byTimer = new Map<string, TimerOp[]>();
  for (const op of ops) byTimer.set(op.timerId, [...(byTimer.get(op.timerId) ?? []), op]);
  await Promise.all(
    [...byTimer.values()].map(async (sequence) => {
      for (const op of sequence) {
        const id = timerKey(conversationKey, op.timerId);
        if (op.op === 'schedule')
          await queue.schedule(id, new Date(op.dueAt), JSON.stringify({ conversationKey, timerId: op.timerId }));
        else await queue.cancel(id);
      }
    }),
  );
}

/** StorageUnavailableError / StateUnavailableError, by name so the runtime needs no storage import */
export function isUnavailable(error: unknown): boolean {
  return error instanceof Error && (error.name === 'StorageUnavailableError' || error.name === 'StateUnavailableError');
}
