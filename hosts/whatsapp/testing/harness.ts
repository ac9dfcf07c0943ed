import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import type { Lang, Scenario } from '../../../engine/index.ts';
import type { SystemEvent } from '../../../engine/events.ts';
import type { MemoryHost } from '../../../engine/testing/memoryHost.ts';
import type { RecordedQueue } from '../../../engine/transcript/recorded.ts';
import type { StateBackend } from '../../../storage/state/index.ts';
import type { ConversationAddress } from '../../runtime/address.ts';
import type { DeadLetterRecord, Logger, ProfilePort, RecordedMessage, TrackedEvent } from '../../runtime/ports.ts';
import { ConversationRuntime } from '../../runtime/runtime.ts';
import { ChannelDirectory } from '../../channel/host.ts';
import { createWhatsAppHost } from '../host.ts';
import type { WhatsAppChannel } from '../send.ts';
import { staticNumbers } from './staticNumbers.ts';
import { stateSentBatchStore } from '../sentBatches.ts';
import { stateWindowStore, type CustomerWindowStore } from '../window.ts';
import { startFakeGraph, type FakeGraph, type SentMessage } from './fakeGraph.ts';
import {
  envelope,
  message,
  signedRequest,
  status,
  type InboundOptions,
  type InboundSpec,
  type StatusSpec,
} from './payloads.ts';
import { VirtualTimers } from './virtualTimers.ts';
import { worldPorts } from './worldPorts.ts';
import { redisTestState } from './redis.ts';

/**
 * The WhatsApp host end to end, as the platform will compose it: signed webhooks over HTTP to
 * the real Hono route, the real conversation runtime and engine on a real state backend (Redis,
 * or embedded when a kysely database is given), the real channel and Graph client against the
 * fake Graph API. The world (catalog, brain, media readers, escalations, alerts) is the engine's
 * fixture host; preferences can be the real ProfilePort. Time is virtual.
 */

export type HarnessOptions = {
  scenario: Scenario;
  host: MemoryHost;
  /** the real ProfilePort under test; default: the fixture host's recommendations */
  profiles?: ProfilePort;
  /** default: Redis on 127.0.0.1:6379 with a unique key prefix */
  state?: () => Promise<StateBackend>;
  city?: string;
  /** the city bot's language (the city's `language`); WhatsApp tells us nothing about the shopper's */
  lang?: Lang;
  templateName?: string;
  start?: string;
  log?: Logger;
};

export type Harness = {
  graph: FakeGraph;
  city: string;
  phoneNumberId: string;
  appSecret: string;
  verifyToken: string;
  webhookUrl: string;
  runtime: ConversationRuntime;
  state: StateBackend;
  window: CustomerWindowStore;
  channel: WhatsAppChannel;
  timers: VirtualTimers;
  tracked: TrackedEvent[];
  logged: RecordedMessage[];
  /** what the runtime gave up on, as its records carry it */
  deadLetters: DeadLetterRecord[];
  now(): Date;
  setNow(at: string | Date): void;
  address(chatId: string): ConversationAddress;
  /** POST a body signed with the app secret; resolves with the HTTP response */
  post(body: unknown, headers?: Record<string, string>): Promise<Response>;
  /** one shopper message through the webhook; waits for the turn; returns what was sent to that shopper */
  say(from: string, spec: InboundSpec, o?: Partial<InboundOptions>): Promise<SentMessage[]>;
  statuses(specs: StatusSpec[]): Promise<Response>;
  /** a system event (manager reply, price drop); waits for the turn */
  deliver(chatId: string, event: SystemEvent): Promise<SentMessage[]>;
  /** fires every timer due by `until`, in order, each at its own time */
  advance(until: string | Date): Promise<SentMessage[]>;
  setRecorded(queue: RecordedQueue | undefined): void;
  close(): Promise<void>;
};

const quiet: Logger = { info() {}, warn() {}, error() {} };

export async function startWhatsAppHarness(o: HarnessOptions): Promise<Harness> {
  const city = o.city ?? 'almaty';
  const phoneNumberId = `PN-${randomUUID().slice(0, 8)}`;
  const appSecret = `secret-${randomUUID()}`;
  const verifyToken = `verify-${randomUUID().slice(0, 8)}`;
  const log = o.log ?? quiet;
  let now = new Date(o.start ?? '2026-11-26T10:00:00Z');
  let recorded: RecordedQueue | undefined;

  const graph = await startFakeGraph();
  const base = o.state ? await o.state() : await redisTestState('wa-e2e');
  const timers = new VirtualTimers();
  const state: StateBackend = { ...base, timers, kind: base.kind, close: () => base.close() };
  const window = stateWindowStore(base.snapshots);
  const clock = () => now;
  const tracked: TrackedEvent[] = [];
  const logged: RecordedMessage[] = [];
  const deadLetters: DeadLetterRecord[] = [];
  const world = worldPorts({ host: o.host, now: () => now.toISOString(), recorded: () => recorded });

  const scenario: Scenario = o.scenario;
  const channels = new ChannelDirectory();
  const runtime = new ConversationRuntime(
    {
      scenarios: { forConversation: () => scenario },
      cityLanguage: (slug) => (slug === city ? o.lang : undefined),
      ...world,
      profiles: o.profiles ?? world.profiles,
      records: {
        write: async (turns) => {
          for (const turn of turns) {
            tracked.push(...turn.tracked);
            logged.push(...turn.messages);
            if (turn.deadLetter) deadLetters.push(turn.deadLetter);
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
  // the runtime exists first; the WhatsApp host is built around it and registers its channel
  const whatsapp = channels.register(
    await createWhatsAppHost(runtime, {
      token: graph.token,
      apiBase: graph.apiBase,
      graph: { backoffMs: 1, maxRetries: 2 },
      appSecret,
      verifyToken,
      numbers: staticNumbers([
        {
          city,
          phoneNumberId,
          templateName: o.templateName ?? 'zeta_update',
          templateLang: 'ru',
          templateLangs: ['ru', 'kk'],
        },
      ]),
      window,
      sent: stateSentBatchStore(base.snapshots, { prefix: `wa-sent-${randomUUID().slice(0, 8)}:` }),
      analytics: { track: async (e) => void tracked.push(e) },
      clock,
      log,
    }),
  );
  const channel = whatsapp.port;
  await runtime.startTimers();

  const server: ServerType = await new Promise((resolve) => {
    const s = serve({ fetch: whatsapp.routes.fetch, port: 0, hostname: '127.0.0.1' }, () => resolve(s));
  });
  const webhookUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks/whatsapp`;

  const address = (chatId: string): ConversationAddress => ({ channel: 'whatsapp', city, chatId });
  const post = async (body: unknown, headers?: Record<string, string>) => {
    const signed = signedRequest(body, appSecret);
    return fetch(webhookUrl, { method: 'POST', body: signed.body, headers: { ...signed.headers, ...headers } });
  };
  const since = async (chatId: string, run: () => Promise<unknown>) => {
    const before = graph.sentTo(chatId).length;
    await run();
    await runtime.idle();
    return graph.sentTo(chatId).slice(before);
  };

  return {
    graph,
    city,
    phoneNumberId,
    appSecret,
    verifyToken,
    webhookUrl,
    runtime,
    state: base,
    window,
    channel,
    timers,
    tracked,
    logged,
    deadLetters,
    now: () => now,
    setNow(at) {
      now = new Date(at);
    },
    address,
    post,
    say: (from, spec, extra = {}) =>
      since(from, async () => {
        const res = await post(envelope({ phoneNumberId }, { messages: [message(spec, { from, at: now, ...extra })] }));
        if (res.status !== 200) throw new Error(`webhook answered ${res.status}: ${await res.text()}`);
      }),
    statuses: async (specs) => {
      const res = await post(envelope({ phoneNumberId }, { statuses: specs.map(status) }));
      await runtime.idle();
      await channel.idle();
      return res;
    },
    deliver: (chatId, event) => since(chatId, () => runtime.deliver(address(chatId), `sys:${randomUUID()}`, event)),
    async advance(until) {
      const end = new Date(until);
      const before = graph.sent.length;
      for (let guard = 0; guard < 100; guard++) {
        const due = timers.takeDue(end);
        if (!due) break;
        now = due.dueAt;
        await timers.fire(due);
        await runtime.idle();
      }
      now = end;
      return graph.sent.slice(before);
    },
    setRecorded(queue) {
      recorded = queue;
    },
    async close() {
      await runtime.close();
      await whatsapp.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await graph.close();
      await base.close();
    },
  };
}
