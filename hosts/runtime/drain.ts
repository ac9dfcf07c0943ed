import type {
  ConversationHead,
  InboxItem,
  StateBackend,
  StoredSnapshot,
  Turnstile,
} from '../../storage/state/types.ts';
import type { AttemptBudget } from './attempts.ts';
import type { Reply } from '../../engine/replies.ts';
import { commitTurn, deliverTurn, describeError, type TurnReport } from './commitAndDeliver.ts';
import { giveUpMessage } from './deadLetter.ts';
import { isPermanentDelivery } from './ports.ts';
import { isUnavailable } from './turn.ts';
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
  /** an item was given up after `maxAttempts` failed turns: `replies` (the apology) are all that come */
  gaveUp(conversationKey: string, messageId: string, replies: Reply[]): void;
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
    const { allowed, attempts, lastError } = ctx.attempts.begin(item.id);
    if (!allowed) {
      const failure = { error: lastError ?? 'unknown error', attempts: attempts - 1 };
      ports.log.error(
        { conversationKey: key, messageId: item.id, ...failure },
        'message given up after repeated failures; dead-lettered',
      );
      const { record, replies } = await giveUpMessage(turn, stored, failure);
      ctx.gaveUp(key, item.id, replies);
      return record !== undefined ? { record } : {};
    }
    try {
      ({ stored, timersApplied } = await commitTurn(turn, stored, snapshot?.version ?? 0, ctx.opts.snapshotTtlSeconds));
    } catch (error) {
      ctx.attempts.failed(item.id, describeError(error));
      throw error;
    }
    ctx.attempts.done(item.id);
  }

  if (!stored.out || stored.last !== item.id) return {};
  const committed = { ...stored, out: stored.out };
  // delivery attempts are counted apart from the turn's, and only when the channel failed
  const sendKey = `send:${item.id}`;
  let delivered: Awaited<ReturnType<typeof deliverTurn>>;
  try {
    delivered = await deliverTurn(turn, committed, timersApplied);
    ctx.attempts.done(sendKey);
  } catch (error) {
    if (isUnavailable(error)) throw error;
    const failure = ctx.attempts.fail(sendKey, describeError(error));
    const permanent = isPermanentDelivery(error);
    if (!permanent && !failure.exhausted) throw error;
    ctx.attempts.done(sendKey);
    const undelivered = { error: describeError(error), attempts: failure.attempts };
    ports.log.error(
      { conversationKey: key, messageId: item.id, ...undelivered, permanent },
      'replies given up after failed sends; dead-lettered',
    );
    delivered = await deliverTurn(turn, committed, timersApplied, undelivered);
  }
  const { record, learning, report } = delivered;
  ctx.answered(report);
  return { ...(record !== undefined ? { record } : {}), learning };
}
