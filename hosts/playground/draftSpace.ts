import type { Hono } from 'hono';
import type { Kysely } from 'kysely';
import type { Scenario } from '../../engine/index.ts';
import { createStateBackend, type StateBackend, type TimerQueue } from '../../storage/state/index.ts';
import { conversationKey, type ConversationAddress } from '../runtime/address.ts';
import type { ChannelPort, RuntimePorts } from '../runtime/ports.ts';
import { ConversationRuntime } from '../runtime/runtime.ts';
import { webRoutes, type WebRuntime } from '../web/routes.ts';
import type { ChatUploads } from '../web/uploads.ts';
import { DraftSimulator, type SimulatedEffect } from './simulatedEffects.ts';

/** a draft conversation's chat id: never a live one, whatever the playground's userId */
const DRAFT_CHAT = 'draft-';
/** drafts kept for conversations in flight; each message hands its draft again */
const MAX_DRAFTS = 500;

export type DraftSpaceOptions = {
  /** the live bot's ports: the draft reads the catalog and asks the models through them */
  live: RuntimePorts;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- any kysely database that ran the storage migrations
  db: Kysely<any>;
  uploads: ChatUploads;
  cityExists: (slug: string) => Promise<boolean>;
  /** the live state's key prefix; the draft space's keys start with `draft:` before it, so no live sweep or recovery sees them */
  keyPrefix?: string;
};

/**
 * The playground's draft space: an unsaved scenario runs in a conversation runtime of its own —
 * its own state (embedded, in the database under a prefix of its own; never the live Redis keys),
 * no timers kept, no message log or analytics written — whose outward effects (escalations,
 * alerts, leads) are simulated and reported back as "would have: …". The live bot is untouched.
 */
export class DraftSpace {
  /** the web chat's `POST /:city` (and uploads) over the draft runtime */
  readonly routes: Hono;
  readonly #runtime: ConversationRuntime;
  readonly #state: StateBackend;
  readonly #simulator: DraftSimulator;
  readonly #drafts = new Map<string, Scenario>();

  private constructor(opts: DraftSpaceOptions, state: StateBackend) {
    const { live } = opts;
    this.#state = state;
    this.#simulator = new DraftSimulator({
      managersAway: (city, at) => live.escalations.managersAway(city, at),
      clock: live.clock,
    });
    const ports: RuntimePorts = {
      ...live,
      scenarios: { forConversation: (address) => this.#draftOf(address) },
      // a designer trying a draft teaches no shopper profile and leaves no message log or analytics
      profiles: null,
      records: { async write() {} },
      channels: { web: draftWebChannel(opts.uploads) },
      simulator: this.#simulator,
    };
    // a draft conversation's timers (idle follow-ups, reminders) would never fire: not even kept
    const noTimers: TimerQueue = { async schedule() {}, async cancel() {}, async start() {}, async stop() {} };
    this.#runtime = new ConversationRuntime(
      ports,
      { ...state, timers: noTimers },
      {
        snapshotTtlSeconds: 24 * 3600,
        maxConcurrentTurns: 8,
        // a draft that throws answers at once with what went wrong instead of being retried for minutes
        maxAttempts: 2,
        retry: { firstDelayMs: 100, maxDelayMs: 500 },
      },
    );
    this.#runtime.onFailure((key, error) =>
      this.#simulator.note(key, {
        effect: 'error',
        summary: `the turn failed: ${error instanceof Error ? error.message : String(error)}`,
      }),
    );
    const runtime: WebRuntime = {
      converse: (address, messageId, event, hint) =>
        this.#runtime.converse(draftAddress(address), messageId, event, hint),
    };
    this.routes = webRoutes(runtime, {
      cityExists: opts.cityExists,
      uploads: opts.uploads,
      clock: live.clock,
      log: live.log,
    });
  }

  static async open(opts: DraftSpaceOptions): Promise<DraftSpace> {
    const state = await createStateBackend({
      db: opts.db,
      keyPrefix: `draft:${opts.keyPrefix ?? 'zeta:'}`,
      inboxDedupSeconds: 24 * 3600,
    });
    return new DraftSpace(opts, state);
  }

  /** the scenario the next messages of this playground chat run on (set before each message) */
  stage(city: string, userId: string, scenario: Scenario): void {
    const key = this.#key(city, userId);
    this.#drafts.delete(key);
    this.#drafts.set(key, scenario);
    if (this.#drafts.size > MAX_DRAFTS) this.#drafts.delete(this.#drafts.keys().next().value!);
    this.#simulator.take(key);
  }

  /** what the chat's last message would have done outside the conversation */
  simulated(city: string, userId: string): SimulatedEffect[] {
    return this.#simulator.take(this.#key(city, userId));
  }

  async close(): Promise<void> {
    await this.#runtime.close();
    await this.#state.close();
  }

  #key(city: string, userId: string): string {
    return conversationKey(draftAddress({ channel: 'web', city, chatId: userId }));
  }

  #draftOf(address: ConversationAddress): Scenario {
    const scenario = this.#drafts.get(conversationKey(address));
    if (!scenario) throw new Error('this draft conversation has no scenario any more; send the message again');
    return scenario;
  }
}

const draftAddress = (address: ConversationAddress): ConversationAddress => ({
  ...address,
  chatId: `${DRAFT_CHAT}${address.chatId}`,
});

/** the web channel for draft chats: replies travel in the HTTP response; photos are the playground user's uploads */
function draftWebChannel(uploads: ChatUploads): ChannelPort {
  return {
    async send() {},
    fetchMedia: (address, ref) =>
      uploads.open({ city: address.city, userId: address.chatId.slice(DRAFT_CHAT.length) }, ref),
  };
}
