import type { Reply } from '../../engine/replies.ts';
import { channelTexts } from '../../engine/scenario/channelTexts.ts';
import { managerForward } from '../../engine/index.ts';
import { shippedChannelTexts } from '../scenarios/shipped.ts';
import type { InboxItem, StateBackend } from '../../storage/state/types.ts';
import type { RuntimePorts } from './ports.ts';
import { deliveredTurnRecords } from './records.ts';
import { encodeTurnRecords } from './relay.ts';
import { admitMessage, calmReply, readMessageLog } from './messageRate.ts';
import type { Failure } from './deadLetter.ts';
import { storedText, type InboxPayload, type Stored } from './stored.ts';
import { applyTimers, isUnavailable, runTurn, type TurnResult } from './turn.ts';

/**
 * The two halves of answering one inbox item: the turn is committed (snapshot and its replies in
 * one compare-and-set write), then delivered (replies sent, records prepared for the
 * acknowledgement). Delivery also runs alone when a commit was made but its item not acknowledged.
 */

/**
 * `latencyMs`: from the message being accepted into the inbox to its replies being sent.
 * `rateLimited`: the shopper was over the scenario's `limits.messagesPerMinute`; no turn ran.
 */
export type TurnReport = {
  conversationKey: string;
  messageId: string;
  replies: Reply[];
  latencyMs: number | undefined;
  rateLimited?: true;
};

/** One inbox item being answered, with what answering it needs. */
export type InboxTurn = {
  ports: RuntimePorts;
  state: StateBackend;
  key: string;
  item: InboxItem;
  payload: InboxPayload;
};

type Committed = Stored & { out: NonNullable<Stored['out']> };

/** Runs the turn (or the calm reply of a rate-limited message) and writes it over snapshot `version`. */
export async function commitTurn(
  turnIn: InboxTurn,
  stored: Stored | undefined,
  version: number,
  snapshotTtlSeconds: number,
): Promise<{ stored: Committed; timersApplied: boolean }> {
  const { ports, state, key, item } = turnIn;
  const { address, event, system, lang, testTraffic } = turnIn.payload;
  const scenario = await ports.scenarios.forConversation(address);
  // counted in the snapshot itself: no round trip of its own, written with this commit
  const { admission, log: rate } = system
    ? { admission: 'turn' as const, log: stored?.rate }
    : admitMessage(readMessageLog(stored?.rate), scenario.limits.messagesPerMinute, ports.clock().getTime());
  const previous = stored?.p;
  // over the limit: recorded below like any message, the conversation itself untouched; a
  // conversation with no state yet gets its turn whatever the count (it starts the conversation)
  const limited = admission !== 'turn' && previous !== undefined;
  // staff's conversation (playground, API tokens): this turn and every later one are test traffic
  const test = testTraffic === true || stored?.test === true;
  let turn: TurnResult;
  if (limited) {
    // no turn, but a manager on the conversation still gets the message; the bot stays silent
    // during the hand-off, so then there is no calm reply either
    const forward = managerForward(previous.snapshot?.context ?? { escalationId: null }, event);
    if (forward) await ports.escalations.shopperWrote(forward.escalationId, forward.text, forward.media);
    turn = {
      persisted: previous,
      replies: admission === 'calm reply' && !forward ? [calmReply(scenario, previous)] : [],
      tracked: [],
      timers: [],
      leads: [],
      warnings: [],
    };
  } else {
    turn = await runTurn(ports, {
      address,
      conversationKey: key,
      scenario,
      persisted: previous,
      event,
      idempotencyKey: `${key}|${item.id}`,
      ...(lang ? { lang } : {}),
      testTraffic: test,
    });
  }
  for (const warning of turn.warnings) ports.log.warn({ conversationKey: key, messageId: item.id }, warning);
  // only what cannot be derived again is stored: the message log is rebuilt from the event
  const tracked = turn.tracked.map(({ name, props }) => (props ? { name, props } : { name }));
  const timers = turn.timers.length > 0 ? { timers: turn.timers } : {};
  const committed: Committed = {
    p: turn.persisted,
    last: item.id,
    out: {
      replies: turn.replies,
      proactive: system,
      tracked,
      ...timers,
      ...(turn.leads.length > 0 ? { leads: turn.leads } : {}),
      at: ports.clock().toISOString(),
      ...(limited ? { rateLimited: true } : {}),
    },
    ...(test ? { test: true as const } : {}),
    ...(rate ? { rate } : {}),
  };
  // timer changes go out alongside the commit (one pipelined round trip, off the reply's
  // path); if they fail after the commit succeeded, the delivery applies them again. So does the
  // read preference learning will need after the delivery.
  if (tracked.length > 0) ports.profiles?.willLearn?.(key, tracked);
  const [written, timersApplied] = await Promise.all([
    state.snapshots.write(key, storedText(committed), version, snapshotTtlSeconds),
    applyTimers(state.timers, key, turn.timers).then(
      () => true,
      () => false,
    ),
  ]);
  if (!written.ok) throw new Error(`snapshot of ${key} changed under the lock (version ${written.currentVersion})`);
  return { stored: committed, timersApplied };
}

/**
 * Sends the committed replies of the item and returns the records to acknowledge it with, the
 * preference learning to await alongside, and the report for the runtime's listeners. With
 * `undelivered` (its sends failed `maxAttempts` times, or were refused for good) nothing is sent:
 * the replies go into the records as a dead letter with the failure, and the turn is otherwise
 * acknowledged as usual, so the conversation's later messages are answered.
 */
export async function deliverTurn(
  turnIn: InboxTurn,
  stored: Committed,
  timersApplied: boolean,
  undelivered?: Failure,
): Promise<{ record?: string; learning: Promise<void>; report: TurnReport }> {
  const { ports, state, key, item } = turnIn;
  const { address, event, system, acceptedAt } = turnIn.payload;
  const { proactive, tracked } = stored.out;
  const replies = undelivered ? [] : stored.out.replies;
  const at = stored.out.at ? new Date(stored.out.at) : ports.clock();
  if (stored.out.timers && !timersApplied) {
    // a delivery retried after a failure or a crash: the timers may not have been applied
    await applyTimers(state.timers, key, stored.out.timers).catch((error: unknown) => {
      if (isUnavailable(error)) throw error;
      ports.log.error(
        { conversationKey: key, messageId: item.id, err: describeError(error) },
        'timer changes of a turn dropped',
      );
    });
  }
  const channel = ports.channels[address.channel];
  if (replies.length > 0 && channel) {
    const lang = stored.p?.snapshot.context.lang;
    // the words around the replies; a stored turn is still delivered when the scenario cannot be read
    const texts = await Promise.resolve()
      .then(() => ports.scenarios.forConversation(address))
      .then(
        (scenario) => channelTexts(scenario, lang ?? scenario.defaultLang),
        () => shippedChannelTexts(lang),
      );
    await channel.send(address, replies, { proactive, messageId: item.id, ...(lang ? { lang } : {}), texts });
  }
  // preferences are soft state, learned alongside the acknowledgement (their Redis commands
  // share its round trip) rather than before it
  const learning = Promise.all(
    tracked.map((t) => ports.profiles?.learn(key, address.city, { name: t.name, props: t.props })),
  ).then(
    () => undefined,
    (error: unknown) =>
      ports.log.warn({ conversationKey: key, err: describeError(error) }, 'learning preferences from a turn failed'),
  );
  const latencyMs = acceptedAt === undefined ? undefined : Date.now() - acceptedAt;
  // the message log and analytics travel with the acknowledgement (one atomic step), so a
  // crash can neither lose them nor write them twice; the relay copies them to the database
  const record = encodeTurnRecords({
    ...deliveredTurnRecords({
      key: `${key}|${item.id}`,
      conversationKey: key,
      address,
      event,
      system,
      replies,
      tracked,
      leads: stored.out.leads ?? [],
      at,
      ...(latencyMs !== undefined && !system ? { responseMs: latencyMs } : {}),
      testTraffic: stored.test === true,
    }),
    ...(undelivered
      ? {
          deadLetter: {
            kind: 'delivery' as const,
            address,
            conversationKey: key,
            messageId: item.id,
            system,
            event,
            replies: stored.out.replies,
            ...undelivered,
            at,
          },
        }
      : {}),
  });
  const limited = stored.out.rateLimited ? { rateLimited: true as const } : {};
  return {
    ...(record !== undefined ? { record } : {}),
    learning,
    report: { conversationKey: key, messageId: item.id, replies, latencyMs, ...limited },
  };
}

export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
