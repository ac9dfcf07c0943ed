import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Lang } from '../../../engine/catalog.ts';
import type { SystemEvent } from '../../../engine/events.ts';
import type { Scenario } from '../../../engine/index.ts';
import type { MemoryHost } from '../../../engine/testing/memoryHost.ts';
import type { RecordedQueue } from '../../../engine/transcript/recorded.ts';
import { createStateBackend, type StateBackend } from '../../../storage/state/index.ts';
import type { ConversationAddress } from '../../runtime/address.ts';
import type {
  Logger,
  OcrPort,
  RecordedMessage,
  TrackedEvent,
  TranscriberPort,
  VisionPort,
} from '../../runtime/ports.ts';
import { ConversationRuntime } from '../../runtime/runtime.ts';
// the runtime's world answered by the engine's fixture host, and a virtual timer queue: shared with the WhatsApp host's tests
import { VirtualTimers } from '../../whatsapp/testing/virtualTimers.ts';
import { worldPorts } from '../../whatsapp/testing/worldPorts.ts';
import { parseTag } from '../escalationTag.ts';
import { ChannelDirectory } from '../../channel/host.ts';
import { createTelegramHost, type TelegramHost } from '../host.ts';
import type { RetryPolicy } from '../retry.ts';
import { staticBotSource } from '../staticSource.ts';
import { SECRET_HEADER } from '../routes.ts';
import { startFakeBotApi, visibleText, type FakeBotApi, type RecordedCall } from './fakeBotApi.ts';
import * as u from './updates.ts';

/**
 * The Telegram host end to end, composed as the platform composes it: Update JSON over HTTP to
 * the real webhook route, the real conversation runtime and engine on a real state backend
 * (Redis by default, unique key prefix), the real channel port and grammY client against the
 * fake Bot API, the managers' chat on the same fake. The world (catalog, brain, media readers,
 * alerts) is the engine's fixture host unless a real port is passed (e.g. tesseract OCR).
 * Time is virtual.
 */

export type TelegramHarnessOptions = {
  scenario: Scenario;
  host: MemoryHost;
  state?: () => Promise<StateBackend>;
  city?: string;
  start?: string;
  /** the city bot's language (the scenario's default) */
  lang?: Lang;
  /** real ports to use instead of the fixture host's (undefined: fixture host; null: none configured) */
  ocr?: OcrPort | null;
  vision?: VisionPort | null;
  transcriber?: TranscriberPort | null;
  publicBaseUrl?: string;
  retry?: Partial<RetryPolicy>;
  log?: Logger;
};

export type TelegramHarness = {
  api: FakeBotApi;
  telegram: TelegramHost;
  runtime: ConversationRuntime;
  state: StateBackend;
  timers: VirtualTimers;
  city: string;
  token: string;
  secret: string;
  managersChatId: number;
  botId: number;
  webhookUrl: string;
  tracked: TrackedEvent[];
  logged: RecordedMessage[];
  now(): Date;
  setNow(at: string | Date): void;
  address(chatId: number | string): ConversationAddress;
  nextUpdateId(): number;
  /** POST raw Update JSON (or a string body); resolves with the HTTP response, processing continues in the background */
  post(update: unknown, headers?: Record<string, string>): Promise<Response>;
  /** POST an update, wait until every turn is done, return the calls that reached `chatId` since */
  send(chatId: number, update: object): Promise<RecordedCall[]>;
  say(chatId: number, text: string): Promise<RecordedCall[]>;
  command(chatId: number, text: string): Promise<RecordedCall[]>;
  tap(chatId: number, data: string): Promise<RecordedCall[]>;
  /** a photo the fake API can serve (bytes), or one it refuses (declaredSize over 20 MB) */
  photo(
    chatId: number,
    file: { bytes?: Uint8Array; name: string; declaredSize?: number },
    caption?: string,
  ): Promise<RecordedCall[]>;
  voice(chatId: number, file: { bytes?: Uint8Array; name: string }): Promise<RecordedCall[]>;
  /** a manager answers in the managers' chat by replying to the latest notification about this shopper */
  managerSays(shopperChatId: number, text: string, name?: string): Promise<RecordedCall[]>;
  /** a system event (price drop, …) for a shopper; waits for the turn */
  deliver(chatId: number, event: SystemEvent): Promise<RecordedCall[]>;
  /** fires every timer due by `until`, in order, each at its own time */
  advance(until: string | Date): Promise<RecordedCall[]>;
  /** calls that reached a chat (all so far) */
  callsTo(chatId: number | string): RecordedCall[];
  settle(): Promise<void>;
  setRecorded(queue: RecordedQueue | undefined): void;
  close(): Promise<void>;
};

const quiet: Logger = { info() {}, warn() {}, error() {} };
const MANAGERS_CHAT = -1001234567890;

export async function startTelegramHarness(o: TelegramHarnessOptions): Promise<TelegramHarness> {
  const city = o.city ?? 'almaty';
  const token = `${Math.floor(Math.random() * 1e9)}:${randomUUID().replace(/-/g, '')}`;
  const secret = `secret-${randomUUID().slice(0, 12)}`;
  const log = o.log ?? quiet;
  let now = new Date(o.start ?? '2026-11-26T10:00:00Z');
  let recorded: RecordedQueue | undefined;
  let updateId = 100_000;

  const api = await startFakeBotApi();
  const identity = api.addBot(token, { username: `zeta_${city}_bot` });
  const base = o.state
    ? await o.state()
    : await createStateBackend({
        redisUrl: 'redis://127.0.0.1:6379',
        keyPrefix: `tg-e2e-${randomUUID().slice(0, 8)}:`,
      });
  const timers = new VirtualTimers();
  const state: StateBackend = { ...base, timers, kind: base.kind, close: () => base.close() };
  const tracked: TrackedEvent[] = [];
  const logged: RecordedMessage[] = [];
  const clock = () => now;
  const scenario: Scenario = o.scenario;
  const world = worldPorts({ host: o.host, now: () => now.toISOString(), recorded: () => recorded });

  const channels = new ChannelDirectory();
  const runtime: ConversationRuntime = new ConversationRuntime(
    {
      scenarios: { forConversation: () => scenario },
      ...world,
      ...(o.ocr !== undefined ? { ocr: o.ocr } : {}),
      ...(o.vision !== undefined ? { vision: o.vision } : {}),
      ...(o.transcriber !== undefined ? { transcriber: o.transcriber } : {}),
      escalations: {
        // what the platform's escalation service does: record it (here: the fixture host), tell the managers' chat
        open: async (request) => {
          const escalationId = await world.escalations.open(request);
          await telegram.notifier.notifyManagers(request.address.city, {
            escalationId,
            shopperAddress: request.address,
            reason: request.reason,
            history: request.history,
          });
          return escalationId;
        },
        shopperWrote: async (escalationId, text, media) => {
          await world.escalations.shopperWrote(escalationId, text);
          await telegram.notifier.forwardShopperMessage(city, escalationId, text, undefined, media);
        },
        close: async (escalationId, why) => {
          await world.escalations.close(escalationId, why);
          await telegram.notifier.escalationClosed(city, escalationId, why);
        },
        managersAway: (c, at) => world.escalations.managersAway(c, at),
      },
      records: {
        write: async (turns) => {
          for (const turn of turns) {
            tracked.push(...turn.tracked);
            logged.push(...turn.messages);
          }
        },
      },
      channels: channels.ports,
      clock,
      log,
    },
    state,
    { lockWaitMs: 5_000 },
  );
  // the runtime exists first; the Telegram host is built around it and registers its channel
  const telegram = channels.register(
    await createTelegramHost(runtime, {
      source: staticBotSource([{ city, token, webhookSecret: secret, managersChatId: String(MANAGERS_CHAT) }]),
      log,
      apiRoot: api.apiRoot,
      clock,
      retry: o.retry ?? { maxRetries: 2, baseDelayMs: 5, maxRetryAfterSeconds: 5 },
      ...(o.publicBaseUrl ? { publicBaseUrl: o.publicBaseUrl } : {}),
    }),
  );
  await telegram.registry.init();
  await runtime.startTimers();

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: telegram.routes.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/telegram/${city}`;

  const address = (chatId: number | string): ConversationAddress => ({
    channel: 'telegram',
    city,
    chatId: String(chatId),
  });
  const post = (update: unknown, headers: Record<string, string> = { [SECRET_HEADER]: secret }) =>
    fetch(webhookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...headers },
      body: typeof update === 'string' ? update : JSON.stringify(update),
    });
  const settle = async () => {
    await runtime.idle();
    await telegram.intake.settled();
  };
  const since = async (chatId: number, run: () => Promise<unknown>) => {
    const before = api.messages(chatId).length;
    await run();
    await settle();
    return api.messages(chatId).slice(before);
  };
  const send = (chatId: number, update: object) =>
    since(chatId, async () => {
      const res = await post(update);
      if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
    });
  const next = () => ++updateId;
  // the shopper's Telegram speaks the bot's language, so a new conversation starts in it
  const person = (chatId: number) => u.shopper(chatId, undefined, { language_code: o.lang ?? scenario.defaultLang });

  return {
    api,
    telegram,
    runtime,
    state: base,
    timers,
    city,
    token,
    secret,
    managersChatId: MANAGERS_CHAT,
    botId: identity.id,
    webhookUrl,
    tracked,
    logged,
    now: () => now,
    setNow(at) {
      now = new Date(at);
    },
    address,
    nextUpdateId: next,
    post,
    send,
    say: (chatId, text) => send(chatId, u.textUpdate(next(), person(chatId), text)),
    command: (chatId, text) => send(chatId, u.commandUpdate(next(), person(chatId), text)),
    tap: (chatId, data) => send(chatId, u.callbackUpdate(next(), person(chatId), data)),
    photo(chatId, file, caption) {
      const fileId = `AgAC-${file.name}-${randomUUID().slice(0, 6)}`;
      api.addFile(file.bytes, {
        fileId,
        filePath: `photos/${file.name}.jpg`,
        ...(file.declaredSize !== undefined ? { declaredSize: file.declaredSize } : {}),
      });
      return send(chatId, u.photoUpdate(next(), person(chatId), fileId, caption));
    },
    voice(chatId, file) {
      const fileId = `AwAC-${file.name}-${randomUUID().slice(0, 6)}`;
      api.addFile(file.bytes ?? new TextEncoder().encode('OggS'), { fileId, filePath: `voice/${file.name}.oga` });
      return send(chatId, u.voiceUpdate(next(), person(chatId), fileId));
    },
    // a manager's Telegram account always has a first name; «Менеджер» reads as no name at all
    async managerSays(shopperChatId, text, name = 'Менеджер') {
      const notice = [...api.messages(MANAGERS_CHAT)]
        .reverse()
        .find(
          (c) =>
            parseTag(visibleText(String(c.params.text), c.params.parse_mode))?.shopperChatId === String(shopperChatId),
        );
      if (!notice) throw new Error(`no managers-chat notification about ${shopperChatId}`);
      const messageId = (notice.result as { message_id: number }).message_id;
      const update = u.groupTextUpdate(next(), u.shopper(900_001, name), MANAGERS_CHAT, text, {
        messageId,
        text: visibleText(String(notice.params.text), notice.params.parse_mode),
        botId: identity.id,
        botUsername: identity.username,
      });
      return since(shopperChatId, async () => {
        const res = await post(update);
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}`);
      });
    },
    deliver: (chatId, event) => since(chatId, () => runtime.deliver(address(chatId), `sys:${randomUUID()}`, event)),
    async advance(until) {
      const end = new Date(until);
      const before = api.messages().length;
      for (let guard = 0; guard < 100; guard++) {
        const due = timers.takeDue(end);
        if (!due) break;
        now = due.dueAt;
        await timers.fire(due);
        await settle();
      }
      now = end;
      return api.messages().slice(before);
    },
    callsTo: (chatId) => api.messages(chatId),
    settle,
    setRecorded(queue) {
      recorded = queue;
    },
    async close() {
      await runtime.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
      await base.close();
    },
  };
}
