import type { Kysely } from 'kysely';
import type { Database } from '../../storage/db/types.ts';
import type { PubSub } from '../../storage/state/types.ts';
import { getCityBySlug } from '../../storage/repos/cities.ts';
import {
  addEscalationMessage,
  createEscalation,
  getEscalation,
  listEscalationMessages,
  updateEscalation,
  type Escalation,
  type EscalationMessage,
} from '../../storage/repos/escalations.ts';
import type { ShopperMedia } from '../../engine/effects.ts';
import type { SystemEvent } from '../../engine/events.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { EscalationPort, EscalationRequest, Logger } from '../runtime/ports.ts';
import { ESCALATION_CHANNEL, type EscalationEvent } from './events.ts';
import type { EscalationMediaKeeper } from './media.ts';
import { addressOf, type ManagerNotifier } from './notifier.ts';
import { afterHours, parseHours, wallTimeAt, type AfterHours } from '../../engine/hours.ts';
import { utcOffsetMinutes } from './timeZone.ts';

/** How a system event reaches a shopper's conversation — the conversation runtime's `deliver`. */
export type Deliver = (address: ConversationAddress, messageId: string, event: SystemEvent) => Promise<unknown>;

/** Who acts on an escalation: a panel user (id) or a manager in a Telegram chat (name only). */
export type Actor = { id?: string | null; name: string };

export class EscalationError extends Error {
  override readonly name = 'EscalationError';
  constructor(
    readonly reason: 'not_found' | 'resolved' | 'unreachable',
    message: string,
  ) {
    super(message);
  }
}

export type EscalationServiceOptions = {
  db: Kysely<Database>;
  pubsub: PubSub;
  /** the runtime's `deliver`; a platform that builds the runtime after this service connects it with `deliverThrough` */
  deliver?: Deliver;
  notifiers?: ManagerNotifier[];
  clock?: () => Date;
  log?: Logger;
  /** keeps shoppers' photos and voice notes for the inbox */
  media?: EscalationMediaKeeper;
};

/**
 * Hand-off between the bot and a human. The runtime opens escalations and forwards what the
 * shopper writes; managers (admin panel or Telegram) reply and resolve. Every change is stored,
 * published on `zeta:escalations` for live inboxes, and replies reach the shopper as engine
 * events through the conversation runtime — the same path, ordering and dedup as any turn.
 */
export class EscalationService implements EscalationPort {
  readonly #db: Kysely<Database>;
  readonly #pubsub: PubSub;
  #deliver: Deliver | undefined;
  readonly #notifiers: ManagerNotifier[];
  readonly #clock: () => Date;
  readonly #log: Logger | undefined;
  readonly #media: EscalationMediaKeeper | undefined;

  constructor(opts: EscalationServiceOptions) {
    this.#db = opts.db;
    this.#pubsub = opts.pubsub;
    this.#deliver = opts.deliver;
    this.#notifiers = [...(opts.notifiers ?? [])];
    this.#clock = opts.clock ?? (() => new Date());
    this.#log = opts.log;
    this.#media = opts.media;
  }

  /**
   * The runtime is built with this service among its ports, and this service delivers managers'
   * messages through the runtime: the platform connects the two once both exist.
   */
  deliverThrough(runtime: { deliver: Deliver }): void {
    if (this.#deliver) throw new Error('the escalation service already delivers through a runtime');
    this.#deliver = (address, messageId, event) => runtime.deliver(address, messageId, event);
  }

  /** notifiers can be added after construction (the Telegram host starts later than storage) */
  addNotifier(notifier: ManagerNotifier): void {
    this.#notifiers.push(notifier);
  }

  /** Idempotent: while the conversation has an open escalation, that one is returned (a retried request after a crash included). */
  async open(request: EscalationRequest): Promise<string> {
    const city = await getCityBySlug(this.#db, request.address.city);
    const { escalation, created } = await createEscalation(this.#db, {
      cityId: city?.id ?? null,
      channel: request.address.channel,
      chatId: request.address.chatId,
      userId: request.address.chatId,
      conversationKey: request.conversationKey,
      reason: request.reason,
      trigger: request.trigger,
      conversationHistory: request.history,
    });
    if (created) {
      await this.#publish({ type: 'escalation.opened', escalation });
      await this.#notify(escalation, (n, ctx) => n.notify(escalation, ctx));
    }
    return escalation.id;
  }

  async shopperWrote(escalationId: string, text: string, media?: ShopperMedia): Promise<void> {
    const escalation = await this.#require(escalationId);
    const added = await addEscalationMessage(this.#db, { escalationId, author: 'shopper', text });
    const address = addressOf(escalation);
    const stored = media && this.#media && address ? await this.#media.keep(address, added.id, media) : undefined;
    const message = media && this.#media ? { ...added, media: media.kind } : added;
    await this.#publish({ type: 'escalation.message', escalationId, message });
    const forwarded = media && stored ? { ...media, upload: { bytes: stored.bytes, mime: stored.mime } } : media;
    await this.#notify(escalation, (n, ctx) => n.shopperWrote(escalation, text, ctx, forwarded));
  }

  /** the photo or voice note behind a shopper message of this escalation; undefined when there is none (any more) */
  async mediaOf(escalationId: string, messageId: string): Promise<{ bytes: Uint8Array; mime: string } | undefined> {
    const escalation = await this.#require(escalationId);
    const address = addressOf(escalation);
    if (!this.#media || !address) return undefined;
    const belongs = (await listEscalationMessages(this.#db, escalationId)).some((m) => m.id === messageId);
    return belongs ? this.#media.read(address, messageId) : undefined;
  }

  /** A manager's answer: stored, then delivered to the shopper through the conversation's own channel. */
  async reply(
    escalationId: string,
    actor: Actor,
    text: string,
  ): Promise<{ escalation: Escalation; message: EscalationMessage }> {
    const before = await this.#require(escalationId);
    if (before.status === 'resolved')
      throw new EscalationError('resolved', 'the escalation is resolved; the bot has the conversation again');
    const address = this.#address(before);
    const message = await addEscalationMessage(this.#db, {
      escalationId,
      author: 'manager',
      text,
      authorUserId: actor.id ?? null,
    });
    await this.#delivery()(address, `escalation:${escalationId}:reply:${message.id}`, {
      type: 'manager.replied',
      text,
      managerName: actor.name,
      at: message.createdAt,
    });
    const escalation = await this.#require(escalationId);
    await this.#publish({ type: 'escalation.message', escalationId, message });
    await this.#publish({ type: 'escalation.updated', escalation });
    return { escalation, message };
  }

  /** Hands the conversation back to the bot. Resolving twice is a no-op. */
  async resolve(escalationId: string, _actor: Actor): Promise<{ before: Escalation; after: Escalation }> {
    const current = await this.#require(escalationId);
    if (current.status === 'resolved') return { before: current, after: current };
    const address = this.#address(current);
    const changed = await updateEscalation(this.#db, escalationId, { status: 'resolved' });
    if (!changed) throw new EscalationError('not_found', 'escalation not found');
    await this.#delivery()(address, `escalation:${escalationId}:resolved`, {
      type: 'manager.resolved',
      at: this.#clock().toISOString(),
    });
    await this.#publish({ type: 'escalation.updated', escalation: changed.after });
    return changed;
  }

  /**
   * The shopper went back to the bot, or nobody wrote for the scenario's silence: the conversation
   * already has the bot, so nothing is delivered to it; the escalation is resolved and the
   * managers are told. Closing a resolved escalation is a no-op.
   */
  async close(escalationId: string, why: 'shopper' | 'silence'): Promise<void> {
    const current = await getEscalation(this.#db, escalationId);
    if (!current || current.status === 'resolved') return;
    const changed = await updateEscalation(this.#db, escalationId, { status: 'resolved' });
    if (!changed) return;
    const note =
      why === 'shopper' ? '↩️ Покупатель вернулся к боту — диалог закрыт' : '⌛ Диалог закрыт: долго не было сообщений';
    const message = await addEscalationMessage(this.#db, { escalationId, author: 'bot', text: note });
    await this.#publish({ type: 'escalation.message', escalationId, message });
    await this.#publish({ type: 'escalation.updated', escalation: changed.after });
    await this.#notify(changed.after, (n, ctx) => n.closed(changed.after, why, ctx));
  }

  /** The city's managers' hours (cities.manager_hours) on its own clock: null while they are in or when none are set. */
  async managersAway(city: string, at: Date): Promise<AfterHours | null> {
    const found = await getCityBySlug(this.#db, city);
    if (!found?.managerHours) return null;
    const parsed = parseHours(found.managerHours);
    if (!parsed.ok) {
      this.#log?.warn({ city, error: parsed.error }, 'manager hours unreadable; managers treated as in');
      return null;
    }
    const iso = at.toISOString();
    return afterHours(parsed.hours, iso, wallTimeAt(iso, utcOffsetMinutes(found.timezone, at)));
  }

  /** pending ↔ in_progress by hand (resolving goes through `resolve`, which hands the conversation back) */
  async setStatus(
    escalationId: string,
    status: 'pending' | 'in_progress',
  ): Promise<{ before: Escalation; after: Escalation }> {
    const changed = await updateEscalation(this.#db, escalationId, { status });
    if (!changed) throw new EscalationError('not_found', 'escalation not found');
    await this.#publish({ type: 'escalation.updated', escalation: changed.after });
    return changed;
  }

  /** `userId` null unassigns. */
  async assign(escalationId: string, userId: string | null): Promise<{ before: Escalation; after: Escalation }> {
    const changed = await updateEscalation(this.#db, escalationId, { assignedTo: userId });
    if (!changed) throw new EscalationError('not_found', 'escalation not found');
    await this.#publish({ type: 'escalation.updated', escalation: changed.after });
    return changed;
  }

  /**
   * A manager acted in another host (the Telegram managers' chat) that already delivered the
   * event to the shopper: record it so the inbox shows the same conversation.
   */
  async recordExternal(action: {
    escalationId: string;
    action: 'replied' | 'resolved';
    text?: string;
    managerName?: string;
  }): Promise<void> {
    const current = await getEscalation(this.#db, action.escalationId);
    if (!current) return;
    if (action.action === 'replied' && action.text) {
      const message = await addEscalationMessage(this.#db, {
        escalationId: action.escalationId,
        author: 'manager',
        text: action.managerName ? `${action.managerName}: ${action.text}` : action.text,
      });
      await this.#publish({ type: 'escalation.message', escalationId: action.escalationId, message });
    } else if (action.action === 'resolved' && current.status !== 'resolved') {
      const changed = await updateEscalation(this.#db, action.escalationId, { status: 'resolved' });
      if (changed) await this.#publish({ type: 'escalation.updated', escalation: changed.after });
    }
  }

  async #require(id: string): Promise<Escalation> {
    const escalation = await getEscalation(this.#db, id);
    if (!escalation) throw new EscalationError('not_found', 'escalation not found');
    return escalation;
  }

  #address(escalation: Escalation): ConversationAddress {
    const address = addressOf(escalation);
    if (!address)
      throw new EscalationError(
        'unreachable',
        `conversation key "${escalation.conversationKey}" names no channel we can reach`,
      );
    return address;
  }

  #delivery(): Deliver {
    if (!this.#deliver) throw new Error('the escalation service is not connected to a conversation runtime');
    return this.#deliver;
  }

  async #publish(event: EscalationEvent): Promise<void> {
    try {
      await this.#pubsub.publish(ESCALATION_CHANNEL, JSON.stringify(event));
    } catch (error) {
      // live updates are a convenience; the stored escalation is the truth
      this.#log?.warn({ err: error, type: event.type }, 'could not publish an escalation event');
    }
  }

  async #notify(
    escalation: Escalation,
    call: (n: ManagerNotifier, ctx: { city: string; address: ConversationAddress }) => Promise<unknown>,
  ): Promise<void> {
    const address = addressOf(escalation);
    if (!address) return;
    const ctx = { city: address.city, address };
    await Promise.all(
      this.#notifiers.map(async (n) => {
        try {
          await call(n, ctx);
        } catch (error) {
          this.#log?.warn({ err: error, notifier: n.name, escalationId: escalation.id }, 'a manager notifier failed');
        }
      }),
    );
  }
}
