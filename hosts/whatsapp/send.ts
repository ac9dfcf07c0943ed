import { createHash, randomUUID } from 'node:crypto';
import type { Reply } from '../../engine/replies.ts';
import type { ChannelTexts } from '../../engine/scenario/channelTexts.ts';
import {
  PermanentSendError,
  type OutboundMessage as QueuedMessage,
  type ProactiveSendQueue,
  type Sender,
} from '../../storage/queue/types.ts';
import { conversationKey } from '../runtime/address.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { ChannelPort, Logger, Media, SendOptions } from '../runtime/ports.ts';
import type { Status } from './envelope.ts';
import type { GraphClient } from './graphClient.ts';
import {
  GraphError,
  GraphReEngagementError,
  RE_ENGAGEMENT,
  refusesEveryMessage,
  WhatsAppRefusedError,
} from './graphErrors.ts';
import type { OutboundMessage, SendBody } from './messages.ts';
import type { NumberDirectory, WhatsAppNumber } from './numbers.ts';
import { decodeQueuedBatch, encodeQueuedBatch } from './queued.ts';
import { renderReplies } from './render.ts';
import { memorySentBatchStore, type SentBatchStore } from './sentBatches.ts';
import { templateMessage, type TemplateParam } from './template.ts';
import type { SendThrottle } from './throttle.ts';
import { isWindowOpen, WINDOW_MS, type CustomerWindowStore } from './window.ts';

/**
 * The WhatsApp ChannelPort. Replies are rendered within WhatsApp's limits and sent from the
 * city's business number. A proactive message (price alert, a manager's late reply) to a
 * shopper whose 24-hour window is closed goes out as the city's template instead; so does any
 * send Meta refuses with 131047, synchronously or later in a `failed` status webhook.
 *
 * Errors: a failure before anything was sent is thrown when retrying can help (rate limit, Meta
 * down) so the runtime's outbox sends again later; a reply refused for good before any of it went
 * out is thrown as `WhatsAppRefusedError` (dead-lettered at once); a later or proactive refusal is
 * logged — repeating the batch would send its first messages twice.
 */

export type WhatsAppChannelOptions = {
  client: GraphClient;
  numbers: NumberDirectory;
  window: CustomerWindowStore;
  /**
   * proactive sends go through this queue (rate key `whatsapp:<phone number id>`, one job per
   * batch of replies); the platform starts it with `channel.queueSender()`
   */
  queue?: ProactiveSendQueue;
  /**
   * proactive messages wait here, one slot per message (per-number throughput across replicas);
   * with a queue too, the queue paces batches and this paces the messages inside them
   */
  throttle?: SendThrottle;
  clock: () => Date;
  log: Logger;
  windowMs?: number;
  templateParams?: TemplateParam[];
  /** public link for a reply's image URL (see RenderOptions.mediaUrl) */
  mediaUrl?: (url: string) => string | undefined;
  /**
   * proactive messages remembered for a late 131047 and the once-per-batch template claim; the
   * platform passes `stateSentBatchStore` (shared by replicas), default: this process only
   */
  sent?: SentBatchStore;
  /** every message sent (or refused), for the message log and metrics */
  onSent?: (event: SentEvent) => void;
};

export type SentEvent = {
  address: ConversationAddress;
  wamid: string | undefined;
  type: string;
  template: boolean;
  error?: GraphError;
};

/** chats whose last inbound message id is kept for the typing indicator */
const MAX_REMEMBERED_CHATS = 10_000;

type Batch = { id: string; address: ConversationAddress; number: WhatsAppNumber; replies: Reply[]; lang?: string };
/** what a batch is rendered with */
type Words = { lang?: string; texts: ChannelTexts };

export class WhatsAppChannel implements ChannelPort {
  readonly #o: WhatsAppChannelOptions;
  readonly #sent: SentBatchStore;
  readonly #background = new Set<Promise<void>>();
  /** the last inbound wamid per conversation, for the typing indicator */
  readonly #lastInbound = new Map<string, string>();

  constructor(options: WhatsAppChannelOptions) {
    this.#o = options;
    this.#sent = options.sent ?? memorySentBatchStore();
  }

  /**
   * `messageId` (the runtime's inbox id of the turn, when it passes one) makes a proactive batch
   * re-sent after a crash one queue job; without it every call is a new job, so two identical
   * manager replies in a day are both delivered.
   */
  async send(address: ConversationAddress, replies: Reply[], opts: SendOptions): Promise<void> {
    if (replies.length === 0) return;
    if (opts.proactive && this.#o.queue) {
      const number = await this.#o.numbers.byCity(address.city);
      if (!number) {
        this.#o.log.error({ city: address.city }, 'whatsapp: no business phone number for this city; replies dropped');
        return;
      }
      const payload = encodeQueuedBatch({
        address,
        replies,
        ...(opts.lang ? { lang: opts.lang } : {}),
        texts: opts.texts,
      });
      const id = `wa:${createHash('sha256')
        .update(conversationKey(address))
        .update(opts.messageId ?? randomUUID())
        .digest('base64url')
        .slice(0, 32)}`;
      await this.#o.queue.enqueue({ id, rateKey: `whatsapp:${number.phoneNumberId}`, payload });
      return;
    }
    await this.#deliver(address, replies, opts.proactive, opts);
  }

  /** The queue's sender for proactive batches: the window is checked when the batch actually goes out. */
  queueSender(): Sender {
    return async (job: QueuedMessage) => {
      const batch = decodeQueuedBatch(job.payload);
      if (!batch) throw new PermanentSendError(`whatsapp: unreadable queued batch ${job.id}`);
      await this.#deliver(batch.address, batch.replies, true, batch);
    };
  }

  async #deliver(address: ConversationAddress, replies: Reply[], proactive: boolean, words: Words): Promise<void> {
    const { lang, texts } = words;
    const number = await this.#o.numbers.byCity(address.city);
    if (!number) {
      this.#o.log.error({ city: address.city }, 'whatsapp: no business phone number for this city; replies dropped');
      return;
    }
    const messages = renderReplies(replies, {
      texts,
      recipient: address.chatId,
      ...(this.#o.mediaUrl ? { mediaUrl: this.#o.mediaUrl } : {}),
    });
    if (messages.length === 0) return;
    const batch: Batch = { id: randomUUID(), address, number, replies, ...(lang ? { lang } : {}) };
    if (proactive) {
      const last = await this.#o.window.lastInbound(address);
      if (!isWindowOpen(last, this.#o.clock(), this.#o.windowMs ?? WINDOW_MS)) {
        await this.#sendTemplate(batch, 'window closed', false);
        return;
      }
    }
    for (let i = 0; i < messages.length; i++) {
      if (proactive) await this.#o.throttle?.wait(number.phoneNumberId);
      try {
        const wamid = await this.#post(number, address, messages[i]!);
        if (proactive) await this.#sent.remember(wamid, { id: batch.id, address, replies, ...(lang ? { lang } : {}) });
      } catch (error) {
        if (error instanceof GraphReEngagementError) {
          // a status may race this only for messages of the batch already sent (and remembered)
          await this.#sendTemplate(batch, '131047 on send', proactive && i > 0);
          return;
        }
        if (error instanceof GraphError && error.retryable && i === 0) throw error;
        this.#o.log.error(
          {
            city: address.city,
            chatId: address.chatId,
            err: describe(error),
            code: codeOf(error),
            fbtraceId: traceOf(error),
          },
          'whatsapp: message not sent',
        );
        this.#o.onSent?.({
          address,
          wamid: undefined,
          type: messages[i]!.type,
          template: false,
          ...(error instanceof GraphError ? { error } : {}),
        });
        if (error instanceof GraphError && error.retryable) return;
        // nothing of a reply went out: dead-lettered rather than lost (a proactive batch is the queue's)
        if (error instanceof GraphError && i === 0 && !proactive && refusesEveryMessage(error))
          throw new WhatsAppRefusedError(error);
      }
    }
  }

  /** The webhook tells us each inbound message id: "typing…" is shown against the latest. */
  noteInbound(address: ConversationAddress, wamid: string): void {
    const key = conversationKey(address);
    this.#lastInbound.delete(key);
    this.#lastInbound.set(key, wamid);
    while (this.#lastInbound.size > MAX_REMEMBERED_CHATS)
      this.#lastInbound.delete(this.#lastInbound.keys().next().value as string);
  }

  /** Marks the shopper's last message read and shows "typing…" while slow work (photo, voice) runs. */
  async typing(address: ConversationAddress): Promise<void> {
    const wamid = this.#lastInbound.get(conversationKey(address));
    if (!wamid) return;
    const number = await this.#o.numbers.byCity(address.city);
    if (!number) return;
    await this.#o.client.markRead(number.phoneNumberId, wamid, true).catch((error: unknown) => {
      this.#o.log.warn({ city: address.city, err: describe(error) }, 'whatsapp: typing indicator not shown');
    });
  }

  async fetchMedia(_address: ConversationAddress, ref: string): Promise<Media> {
    return this.#o.client.fetchMedia(ref);
  }

  /**
   * A status webhook for one of our messages: a late 131047 sends the template for its batch
   * once. Returns at once — the webhook acknowledges without waiting for the Graph API.
   */
  async onStatus(status: Status): Promise<void> {
    if (status.status !== 'failed') return;
    if (!(status.errors ?? []).some((e) => e.code === RE_ENGAGEMENT)) return;
    const pending = this.#lateFallback(status.id)
      .catch((error: unknown) =>
        this.#o.log.error(
          { wamid: status.id, err: describe(error) },
          'whatsapp: template after a failed status not sent',
        ),
      )
      .finally(() => this.#background.delete(pending));
    this.#background.add(pending);
  }

  /** resolves when template fallbacks started by status webhooks are done (tests, shutdown) */
  async idle(): Promise<void> {
    while (this.#background.size > 0) await Promise.allSettled([...this.#background]);
  }

  async #lateFallback(wamid: string): Promise<void> {
    const sent = await this.#sent.lookup(wamid);
    if (!sent) return;
    const number = await this.#o.numbers.byCity(sent.address.city);
    if (!number) return;
    await this.#sendTemplate({ ...sent, number }, '131047 in status', true);
  }

  /**
   * `shared`: messages of the batch are remembered, so another path or replica may fall back too —
   * the template is then claimed, one per batch, whichever gets there first
   */
  async #sendTemplate(batch: Batch, why: string, shared: boolean): Promise<void> {
    if (shared && !(await this.#sent.claim(batch.id))) return;
    const message = templateMessage(
      batch.number,
      batch.replies,
      batch.number.templateParams ?? this.#o.templateParams,
      batch.lang,
    );
    if (!message) {
      this.#o.log.warn(
        { city: batch.address.city, chatId: batch.address.chatId, why },
        'whatsapp: 24-hour window closed and the city has no template; message dropped',
      );
      return;
    }
    await this.#o.throttle?.wait(batch.number.phoneNumberId);
    try {
      await this.#post(batch.number, batch.address, message);
    } catch (error) {
      if (error instanceof GraphError && error.retryable) {
        if (shared) await this.#sent.unclaim(batch.id);
        throw error;
      }
      this.#o.log.error(
        { city: batch.address.city, chatId: batch.address.chatId, err: describe(error), code: codeOf(error) },
        'whatsapp: template not sent',
      );
    }
  }

  async #post(number: WhatsAppNumber, address: ConversationAddress, message: OutboundMessage): Promise<string> {
    const body: SendBody = {
      messaging_product: 'whatsapp',
      recipient_type: 'individual',
      to: address.chatId,
      ...message,
    };
    const { wamid } = await this.#o.client.sendMessage(number.phoneNumberId, body);
    this.#o.onSent?.({ address, wamid, type: message.type, template: message.type === 'template' });
    return wamid;
  }
}

const describe = (e: unknown) => (e instanceof Error ? e.message : String(e));
const codeOf = (e: unknown) => (e instanceof GraphError ? e.code : undefined);
const traceOf = (e: unknown) => (e instanceof GraphError ? e.fbtraceId : undefined);
