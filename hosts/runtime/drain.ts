import type {
  ConversationHead,
  InboxItem,
  StateBackend,
  StoredSnapshot,
  Turnstile,
} from '../../storage/state/types.ts';
import type { AttemptBudget } from './attempts.ts';
import { commitTurn, deliverTurn, type TurnReport } from './commitAndDeliver.ts';
import { keepLeaseAlive } from './lease.ts';
import type { RuntimePorts } from './ports.ts';
import { readInboxPayload, readStored } from './stored.ts';

/**
 * One conversation's inbox worked through under its lock, item by item: each turn committed (or,
 * when the item's turn was committed but never acknowledged, its stored replies taken as they
 * are), delivered, and acknowledged with its records in the step that reads the next item.
 */

export type DrainContext = {
  ports: RuntimePorts;
  state: StateBackend;
  opts: { lockTtlMs: number; lockWaitMs: number; snapshotTtlSeconds: number };
  attempts: AttemptBudget;
  /** the conversation is held by another process: look again after `ms` in case it died */
  lookAgain(key: string, ms: number): void;
  /** records were acknowledged into the outbox */
  recorded(): void;
  /** an item's replies were sent */
  answered(report: TurnReport): void;
  /** an item was given up after `maxAttempts` failed turns: no replies will come */
  gaveUp(conversationKey: string, messageId: string): void;
};

export async function drainConversation(ctx: DrainContext, key: string, entered?: Turnstile): Promise<void> {
  // lock, head of the inbox and snapshot in one step (or already taken with the message); each
  // acknowledgement reads the next head and, when there is none, releases the lock in the same step
  const gate = entered ?? (await ctx.state.gate.enter(key, ctx.opts.lockTtlMs, ctx.opts.lockWaitMs));
  if (!gate) {
    ctx.lookAgain(key, ctx.opts.lockWaitMs);
    return;
  }
  const lease = keepLeaseAlive(gate.lease, ctx.opts.lockTtlMs);
  let head: ConversationHead = gate;
  let released = false;
  try {
    while (head.item && !lease.lost()) {
      const item = head.item;
      const { record, learning } = await answerItem(ctx, key, item, head.snapshot);
      const [next] = await Promise.all([gate.advance(item.id, record), learning]);
      if (record !== undefined) ctx.recorded();
      released = next.released;
      head = next;
    }
  } finally {
    lease.stop();
    if (!released) await gate.lease.release().catch(() => false);
  }
}

/** Runs (or resumes the delivery of) one inbox item; the caller acknowledges it with `record`. */
async function answerItem(
  ctx: DrainContext,
  key: string,
  item: InboxItem,
  snapshot: StoredSnapshot | undefined,
): Promise<{ record?: string; learning?: Promise<void> }> {
  const { ports, state } = ctx;
  const payload = readInboxPayload(item.payload);
  if (!payload) {
    ports.log.error({ conversationKey: key, messageId: item.id }, 'unreadable inbox item dropped');
    return {};
  }
  const turn = { ports, state, key, item, payload };
  let stored = readStored(snapshot?.data);
  let timersApplied = false;

  // a stored `last` naming this item: its turn was committed before a crash or a failed send, and
  // its stored replies are delivered as they are, not computed again
  if (stored?.last !== item.id) {
    const { allowed, attempts } = ctx.attempts.begin(item.id);
    if (!allowed) {
      ports.log.error(
        { conversationKey: key, messageId: item.id, attempts },
        'message dropped after repeated failures',
      );
      ctx.gaveUp(key, item.id);
      return {};
    }
    ({ stored, timersApplied } = await commitTurn(turn, stored, snapshot?.version ?? 0, ctx.opts.snapshotTtlSeconds));
    ctx.attempts.done(item.id);
  }

  if (!stored.out || stored.last !== item.id) return {};
  const { record, learning, report } = await deliverTurn(turn, { ...stored, out: stored.out }, timersApplied);
  ctx.answered(report);
  return { ...(record !== undefined ? { record } : {}), learning };
}
