import type { EngineEvent } from '../../engine/events.ts';
import type { Reply } from '../../engine/replies.ts';
import type { ConversationAddress } from './address.ts';
import type { RecordedLead } from './leads.ts';
import type { RecordedMessage, TrackedEvent, TurnRecords } from './ports.ts';

/** Analytics events the runtime itself records for every turn, beside the engine's `track` effects. */
export const MESSAGE_IN = 'message_in';
export const MESSAGE_OUT = 'message_out';
/** one per lead a turn recorded, with its flow: the dashboard counts leads from these */
export const LEAD_RECORDED = 'lead';

/** engine events that are searches: they get the shopper's own words, not what was left after the slots were taken out */
const SEARCH_EVENTS = new Set(['search', 'zero_results']);
/** a query longer than this is not a query a dashboard can show */
const MAX_QUERY_CHARS = 200;

export type DeliveredTurn = {
  /** conversation key | inbox item id */
  key: string;
  conversationKey: string;
  address: ConversationAddress;
  event: EngineEvent;
  /** not a shopper's message: a timer, a manager's reply, a price drop */
  system: boolean;
  replies: Reply[];
  /** the engine's `track` effects of the turn */
  tracked: Pick<TrackedEvent, 'name' | 'props'>[];
  /** the leads the turn recorded (`recordLead` effects) */
  leads: RecordedLead[];
  at: Date;
  /** from the message's arrival to its last reply sent; only for a shopper's message */
  responseMs?: number;
  /** staff talking to the bot (playground, API tokens): kept out of the shopper figures */
  testTraffic: boolean;
};

/**
 * What a delivered turn leaves for the database: the message log and the analytics events. Every
 * shopper message is a `message_in`, every batch of replies a `message_out` (with the response time
 * when it answers a shopper), so the dashboard counts real traffic; every lead is a `lead` event.
 */
export function deliveredTurnRecords(turn: DeliveredTurn): TurnRecords {
  const { address, conversationKey, at } = turn;
  const messages: RecordedMessage[] = [];
  const inboundText = describeInbound(turn.event);
  if (inboundText !== undefined)
    messages.push({ address, conversationKey, direction: 'in', text: inboundText, payload: turn.event, at });
  for (const reply of turn.replies)
    messages.push({ address, conversationKey, direction: 'out', text: describeReply(reply), payload: reply, at });

  const typed = turn.event.type === 'text' ? turn.event.text.trim().slice(0, MAX_QUERY_CHARS) : '';
  const event = (name: string, props?: Record<string, unknown>): TrackedEvent => ({
    name,
    address,
    conversationKey,
    at,
    ...(props ? { props } : {}),
  });
  const tracked: TrackedEvent[] = [];
  if (!turn.system) tracked.push(event(MESSAGE_IN, { kind: turn.event.type }));
  for (const t of turn.tracked)
    tracked.push(event(t.name, typed && SEARCH_EVENTS.has(t.name) ? { ...t.props, text: typed } : t.props));
  for (const lead of turn.leads) tracked.push(event(LEAD_RECORDED, { flow: lead.flow }));
  if (turn.replies.length > 0) {
    tracked.push(
      event(MESSAGE_OUT, {
        replies: turn.replies.length,
        ...(turn.system ? { proactive: true } : {}),
        ...(turn.responseMs !== undefined ? { responseMs: turn.responseMs } : {}),
      }),
    );
  }
  const leads = turn.leads.map((lead) => ({ ...lead, address, conversationKey, at }));
  return {
    key: turn.key,
    messages,
    tracked,
    ...(leads.length > 0 ? { leads } : {}),
    ...(turn.testTraffic ? { testTraffic: true } : {}),
  };
}

function describeInbound(event: EngineEvent): string | undefined {
  switch (event.type) {
    case 'text':
      return event.text;
    case 'command':
      return `/${event.command}${event.args ? ` ${event.args}` : ''}`;
    case 'choice':
      return `[tap ${event.id}]`;
    case 'image':
      return `[photo]${event.caption ? ` ${event.caption}` : ''}`;
    case 'voice':
      return '[voice]';
    case 'location':
      return `[location ${event.latitude},${event.longitude}]`;
    case 'contact':
      return `[contact ${event.phone}${event.own ? '' : ' other'}]`;
    case 'unsupported':
      return `[${event.kind}]`;
    default:
      return undefined;
  }
}

export function describeReply(reply: Reply): string {
  switch (reply.type) {
    case 'text':
      return reply.text;
    case 'products':
      return reply.items.map((i) => `${i.sku} ${i.name}`).join('\n');
    case 'choices':
      return [reply.text, reply.options.map((o) => `[${o.label}]`).join(' ')].filter(Boolean).join('\n');
    case 'image':
      return reply.caption ?? reply.url;
  }
}
