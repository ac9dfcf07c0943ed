import type { Channel, Lang, Product } from '../catalog.ts';
import type { Effect } from '../effects.ts';
import type { EngineEvent, ResultEvent, SystemEvent } from '../events.ts';
import type { Reply } from '../replies.ts';
import { runEffectLoop, type EffectAnswer } from '../effectLoop.ts';
import type { AdminAction, TargetAction, TranscriptHeader } from './model.ts';
import { RECORDABLE, recordedResult } from './recorded.ts';
import type { TranscriptTarget, TurnContext, TurnOutput } from './target.ts';

type MaybePromise<T> = T | Promise<T>;

/** `step` with the scenario already bound: `(p, e, i) => step(scenario, p, e, i)`. */
export type StepFn<P> = (
  persisted: P | undefined,
  event: EngineEvent,
  init: { channel: Channel; lang?: Lang },
) => { persisted: P; effects: Effect[] };

/** Executes effects for the engine target: the in-memory host in tests, a database-backed one in the chat CLI. */
export interface EffectExecutor {
  /** a fresh world for a new conversation (vision/voice availability, clean timers and alerts) */
  start(header: TranscriptHeader): void;
  /** the result event, or null for fire-and-forget effects */
  execute(effect: Effect, at: string): MaybePromise<ResultEvent | null>;
  /** used to resolve recorded SKUs */
  findSku(sku: string): MaybePromise<Product | null>;
  /** removes and returns the timers due at or before `until`, earliest first */
  takeDueTimers(until: string): { timerId: string; dueAt: string }[];
  /** applies a catalog change; returns the events it causes (price.dropped, alert.matched) */
  admin(action: AdminAction, at: string): MaybePromise<SystemEvent[]>;
}

export type EffectLog = { effect: Effect; result: ResultEvent | null; recorded: boolean; at: string };

export type EngineTargetOptions<P> = {
  step: StepFn<P>;
  executor: EffectExecutor;
  /** bound on step calls per incoming event (effects feeding results back) */
  maxSteps?: number;
  onEffect?: (log: EffectLog) => void;
};

export type EngineTarget<P> = TranscriptTarget & { persisted(): P | undefined };

/** The pure engine as a transcript target: each event through the effect loop the runtime runs too. */
export function createEngineTarget<P>(options: EngineTargetOptions<P>): EngineTarget<P> {
  const { step, executor, maxSteps = 20, onEffect } = options;
  let persisted: P | undefined;
  let init: { channel: Channel; lang?: Lang } = { channel: 'telegram' };

  /** one incoming event through the shared effect loop; the error that stops the turn, if any */
  async function run(
    first: EngineEvent,
    ctx: TurnContext,
    out: Required<Omit<TurnOutput, 'error'>>,
  ): Promise<string | undefined> {
    const end = await runEffectLoop(
      {
        maxSteps,
        step(event) {
          const result = step(persisted, event, init);
          persisted = result.persisted;
          return result.effects;
        },
        async perform(effect, cause): Promise<EffectAnswer> {
          if (effect.type === 'reply') out.replies.push(effect.reply);
          const note = noteFor(effect);
          if (note) out.notes.push(note);
          const recorded = RECORDABLE.includes(effect.type) ? ctx.recorded.take(effect.type) : undefined;
          let answer: ResultEvent | null;
          if (recorded) {
            const resolved = await resolveSkus(recorded.value, executor);
            const made = recordedResult(effect, { ...recorded, value: resolved.value }, cause.at, resolved.find);
            if (typeof made === 'string') return { stop: made };
            answer = made;
          } else {
            answer = await executor.execute(effect, cause.at);
          }
          onEffect?.({ effect, result: answer, recorded: recorded !== undefined, at: cause.at });
          return answer;
        },
      },
      first,
    );
    if (end.kind === 'tooManySteps') return `more than ${maxSteps} steps for one event (an effect loop?)`;
    return end.kind === 'stopped' ? end.reason : undefined;
  }

  async function perform(action: TargetAction, ctx: TurnContext): Promise<TurnOutput> {
    const out = { replies: [] as Reply[], notes: [] as string[] };
    const events: EngineEvent[] = [];
    switch (action.kind) {
      case 'wait': {
        // timers fired by a timer's own turn may fall inside the same wait
        for (let rounds = 0; rounds < 50; rounds++) {
          const due = executor.takeDueTimers(ctx.at);
          if (due.length === 0) break;
          for (const timer of due) {
            out.notes.push(`timer ${timer.timerId} fired at ${timer.dueAt}`);
            const error = await run({ type: 'timer.fired', timerId: timer.timerId, at: timer.dueAt }, ctx, out);
            if (error) return { ...out, error };
          }
        }
        return out;
      }
      case 'admin':
        events.push(...(await executor.admin(action.admin, ctx.at)));
        break;
      default:
        events.push(toEvent(action, ctx.at));
    }
    for (const event of events) {
      const error = await run(event, ctx, out);
      if (error) return { ...out, error };
    }
    return out;
  }

  return {
    start(header) {
      persisted = undefined;
      init = { channel: header.channel, lang: header.lang };
      executor.start(header);
    },
    async perform(action, ctx) {
      try {
        return await perform(action, ctx);
      } catch (error) {
        return {
          replies: [],
          error: `step threw: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        };
      }
    },
    persisted: () => persisted,
  };
}

/** Recorded SKU lists are resolved through the executor's catalog before conversion. */
async function resolveSkus(
  value: unknown,
  executor: EffectExecutor,
): Promise<{ value: unknown; find: (sku: string) => Product | null }> {
  const skus = new Set<string>();
  const collect = (item: unknown) => {
    if (typeof item === 'string') skus.add(item);
  };
  if (Array.isArray(value)) value.forEach(collect);
  else if (typeof value === 'string') collect(value);
  else if (value && typeof value === 'object' && Array.isArray((value as { items?: unknown }).items))
    (value as { items: unknown[] }).items.forEach(collect);
  const found = new Map<string, Product | null>();
  for (const sku of skus) found.set(sku, await executor.findSku(sku));
  return { value, find: (sku) => found.get(sku) ?? null };
}

function toEvent(action: Exclude<TargetAction, { kind: 'wait' } | { kind: 'admin' }>, at: string): EngineEvent {
  switch (action.kind) {
    case 'text':
      return { type: 'text', text: action.text, at };
    case 'command':
      return action.args === undefined
        ? { type: 'command', command: action.command, at }
        : { type: 'command', command: action.command, args: action.args, at };
    case 'tap':
      return { type: 'choice', id: action.id, at };
    case 'photo':
      return action.caption === undefined
        ? { type: 'image', ref: action.ref, at }
        : { type: 'image', ref: action.ref, caption: action.caption, at };
    case 'voice':
      return { type: 'voice', ref: action.ref, at };
    case 'location':
      return { type: 'location', latitude: action.latitude, longitude: action.longitude, at };
    case 'unsupported':
      return { type: 'unsupported', kind: action.what, at };
    case 'contact':
      return { type: 'contact', phone: action.phone, own: action.own, at };
    case 'managerReply':
      return action.name === undefined
        ? { type: 'manager.replied', text: action.text, at }
        : { type: 'manager.replied', text: action.text, managerName: action.name, at };
    case 'managerResolve':
      return { type: 'manager.resolved', at };
  }
}

function noteFor(effect: Effect): string | undefined {
  switch (effect.type) {
    case 'escalate':
      return `escalated (${effect.trigger}): ${effect.reason}`;
    case 'forwardToManager':
      return `→ manager ${effect.escalationId}: ${effect.text}`;
    case 'createAlert':
      return `alert on ${effect.target.kind === 'product' ? effect.target.sku : JSON.stringify(effect.target.criteria)}`;
    case 'cancelAlert':
      return `alert cancelled${effect.sku ? ` for ${effect.sku}` : ''}`;
    case 'schedule':
      return `timer ${effect.timerId} due ${effect.dueAt}`;
    case 'cancel':
      return `timer ${effect.timerId} cancelled`;
    case 'warning':
      return `warning: ${effect.message}`;
    default:
      return undefined;
  }
}
