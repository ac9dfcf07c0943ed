import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { conversations, createConversation, type Conversation, type ConversationFlavor } from '@grammyjs/conversations';
import { RedisAdapter } from '@grammyjs/storage-redis';
import { Api, Bot, type Context, type Transformer } from 'grammy';
import type { UserFromGetMe } from 'grammy/types';
import { Redis } from 'ioredis';
import { parse } from 'yaml';
import { ROOT_DIR } from '../../hosts/platform/root.ts';
import {
  parseScenario,
  step,
  type EngineEvent,
  type Persisted,
  type Product,
  type Reply,
  type Scenario,
  type SearchCriteria,
} from '../../engine/index.ts';
import { demoVocabulary } from '../../engine/testing/demoTaxonomy.ts';
import { understandText } from '../../engine/understanding/index.ts';
import { createRedisBackend } from '../../storage/state/index.ts';
import type { SnapshotStore } from '../../storage/state/types.ts';
import { fmt, median, table } from './harness/latency.ts';

/*
 * The gap ZETA exists to keep: grammY's conversations plugin replays the conversation function
 * from the start on every update, so a message costs more the longer the conversation is; our
 * engine restores one bounded snapshot. The same dialogue (greeting → search → refine → cheaper →
 * details tap → …) runs through both, with the same rules brain and the same canned search, and
 * both send their replies through a grammY Api with a no-op transformer (no network), so only the
 * dialogue machinery differs:
 *   grammY:  bot.handleUpdate(update) → @grammyjs/conversations 2.1 → @grammyjs/storage-redis 2.6
 *   ZETA:    snapshots.read → engine step loop (effects fed back) → snapshots.write (CAS)
 * Both on the real Redis (and, for reference, both in memory).
 *   npm run bench -- conversations
 *   BENCH_CONV_MAX=1000 BENCH_CONV_RUNS=3 to change the longest conversation and repeats.
 */

const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const LENGTHS = [1, 10, 100, 1000] as const;

type Msg = { kind: 'text'; text: string } | { kind: 'tap'; data: string };

/** the loop of shopper messages; index i of a conversation is SCRIPT[i % SCRIPT.length] */
const SCRIPT: Msg[] = [
  { kind: 'text', text: 'привет' },
  { kind: 'text', text: 'хочу красный диван до 150000' },
  { kind: 'text', text: 'а синий есть?' },
  { kind: 'text', text: 'подешевле' },
  { kind: 'tap', data: 'p:SOFA-002' },
  { kind: 'text', text: 'покажи кресла' },
  { kind: 'text', text: 'а серое из велюра?' },
  { kind: 'tap', data: 'p:CHAIR-001' },
];

const ITEMS: Product[] = Array.from({ length: 5 }, (_, i) => ({
  id: `p${i}`,
  sku: `SOFA-00${i + 1}`,
  name: `Диван «Модель ${i + 1}» трёхместный`,
  price: 120_000 + i * 15_000,
  currency: 'KZT',
  available: true,
  imageUrl: `https://cdn.example/sofa-${i + 1}.jpg`,
  description: 'Велюр, механизм еврокнижка',
}));

/** the same canned catalog for both sides */
const search = (_criteria: SearchCriteria) => ({ items: ITEMS, total: 23 });
const bySku = (sku: string): Product => ({ ...ITEMS[1]!, sku });

const BOT_INFO: UserFromGetMe = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: 'ZETA',
  username: 'zeta_bench_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
  can_connect_to_business: false,
  has_main_web_app: false,
  has_topics_enabled: false,
  allows_users_to_create_topics: false,
} as UserFromGetMe;

/** answers every Bot API call locally, as Telegram would, without a network round trip */
const noNetwork: Transformer = async (_prev, method, payload) => {
  const p = payload as { chat_id?: number | string; text?: string };
  const result = method.startsWith('send')
    ? { message_id: 1, date: 1_764_150_000, chat: { id: Number(p.chat_id), type: 'private' }, text: p.text ?? '' }
    : true;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the transformer's result type is per-method
  return { ok: true, result } as any;
};

const DATE = 1_764_150_000;
function update(updateId: number, chatId: number, msg: Msg): object {
  const from = { id: chatId, is_bot: false, first_name: 'Айгерим', language_code: 'ru' };
  const chat = { id: chatId, type: 'private', first_name: 'Айгерим' };
  if (msg.kind === 'text')
    return {
      update_id: updateId,
      message: { message_id: updateId, from, chat, date: DATE + updateId, text: msg.text },
    };
  return {
    update_id: updateId,
    callback_query: {
      id: `cbq-${updateId}`,
      from,
      chat_instance: '-401',
      data: msg.data,
      message: {
        message_id: 1,
        from: { id: BOT_INFO.id, is_bot: true, first_name: 'ZETA' },
        chat,
        date: DATE,
        text: 'Выберите:',
      },
    },
  };
}

const listText = (items: Product[], total: number) =>
  `Нашёл ${total}:\n${items.map((p, i) => `${i + 1}. ${p.name} — ${p.price} ₸`).join('\n')}`;

// ---------------------------------------------------------------- grammY conversations ----

type GrammyCtx = ConversationFlavor<Context>;

/** The dialogue as a grammY developer writes it: one long-running function, I/O in `external`. */
async function shop(conversation: Conversation<GrammyCtx, Context>, first: Context): Promise<void> {
  let ctx = first;
  let criteria: SearchCriteria = {};
  for (;;) {
    const data = ctx.callbackQuery?.data;
    const text = ctx.message?.text;
    if (data?.startsWith('p:')) {
      await ctx.answerCallbackQuery();
      const product = await conversation.external(() => bySku(data.slice(2)));
      await ctx.reply(`${product.name}\n${product.price} ₸\n${product.description ?? ''}`, {
        reply_markup: {
          inline_keyboard: [
            [{ text: 'Сообщить о снижении', callback_data: `a:${product.sku}` }],
            [{ text: 'Менеджер', callback_data: 'm' }],
          ],
        },
      });
    } else if (text !== undefined) {
      const understanding = await conversation.external(() =>
        understandText(text, { lang: 'ru', criteria }, demoVocabulary()),
      );
      const intent = understanding.intent;
      if (intent.name === 'search_products') {
        const args = intent.args as SearchCriteria;
        criteria = intent.mode === 'refine' || 'adjust' in intent ? { ...criteria, ...args } : { ...args };
        const found = await conversation.external(() => search(criteria));
        await ctx.reply(listText(found.items, found.total), {
          reply_markup: {
            inline_keyboard: found.items.map((p) => [{ text: p.name.slice(0, 30), callback_data: `p:${p.sku}` }]),
          },
        });
      } else {
        await ctx.reply('Здравствуйте! Я помогу подобрать мебель. Что ищете?', {
          reply_markup: {
            inline_keyboard: [
              [{ text: 'Диваны', callback_data: 'c:sofa' }],
              [{ text: 'Менеджер', callback_data: 'm' }],
            ],
          },
        });
      }
    }
    ctx = await conversation.wait();
  }
}

type Side = {
  name: string;
  /** processes message `msg` of conversation `chatId`; resolves when its replies went out */
  handle(chatId: number, updateId: number, msg: Msg): Promise<void>;
  /** bytes of stored state for one conversation */
  size(chatId: number): Promise<number>;
  close(): Promise<void>;
};

function grammySide(name: string, redis: Redis | undefined, prefix: string): Side {
  const memory = new Map<string, unknown>();
  const bot = new Bot<GrammyCtx>('123456:bench', { botInfo: BOT_INFO });
  bot.api.config.use(noNetwork);
  bot.use(
    conversations<GrammyCtx, GrammyCtx>({
      storage: redis
        ? { type: 'key', prefix, adapter: new RedisAdapter({ instance: redis }) }
        : {
            type: 'key',
            prefix,
            adapter: {
              read: (k: string) => memory.get(k) as never,
              write: (k: string, v: unknown) => void memory.set(k, structuredClone(v)),
              delete: (k: string) => void memory.delete(k),
            },
          },
    }),
  );
  // the conversation's own context gets a fresh Api: the no-network transformer goes there too
  bot.use(
    createConversation(shop, {
      id: 'shop',
      plugins: [
        async (ctx, next) => {
          ctx.api.config.use(noNetwork);
          await next();
        },
      ],
    }),
  );
  // a chat without a running conversation enters one with its first message
  bot.on(['message', 'callback_query'], (ctx) => ctx.conversation.enter('shop'));
  bot.catch((err) => {
    throw err.error;
  });
  return {
    name,
    handle: (chatId, updateId, msg) => bot.handleUpdate(update(updateId, chatId, msg) as never),
    async size(chatId) {
      if (redis) return Number(await redis.strlen(`${prefix}${chatId}`));
      return Buffer.byteLength(JSON.stringify(memory.get(`${prefix}${chatId}`) ?? null));
    },
    async close() {},
  };
}

// ---------------------------------------------------------------- ZETA engine loop ----

function loadScenario(): Scenario {
  const path = join(ROOT_DIR, 'scenarios', 'default.yaml');
  const r = parseScenario(parse(readFileSync(path, 'utf8')));
  if (!r.ok) throw new Error(`default scenario invalid: ${JSON.stringify(r.errors)}`);
  return r.scenario;
}

function memorySnapshots(): SnapshotStore {
  const rows = new Map<string, { data: string; version: number }>();
  return {
    async read(key) {
      return rows.get(key);
    },
    async write(key, data, expectedVersion) {
      const current = rows.get(key)?.version ?? 0;
      if (current !== expectedVersion) return { ok: false, currentVersion: current };
      rows.set(key, { data, version: current + 1 });
      return { ok: true, version: current + 1 };
    },
    async delete(key) {
      rows.delete(key);
    },
  } as SnapshotStore;
}

function engineSide(name: string, snapshots: SnapshotStore, prefix: string): Side {
  const scenario = loadScenario();
  const api = new Api('123456:bench');
  api.config.use(noNetwork);
  const T0 = Date.parse('2026-03-01T09:00:00.000Z');

  async function send(chatId: number, replies: Reply[]) {
    for (const reply of replies) {
      if (reply.type === 'text') await api.sendMessage(chatId, reply.text);
      else if (reply.type === 'products') {
        await api.sendMessage(chatId, listText(reply.items as Product[], reply.items.length), {
          reply_markup: {
            inline_keyboard: reply.items.map((p) => [{ text: p.name.slice(0, 30), callback_data: `p:${p.sku}` }]),
          },
        });
      } else if (reply.type === 'choices') {
        await api.sendMessage(chatId, reply.text ?? 'Выберите:', {
          reply_markup: { inline_keyboard: reply.options.map((o) => [{ text: o.label, callback_data: o.id }]) },
        });
      } else await api.sendMessage(chatId, reply.caption ?? reply.url);
    }
  }

  return {
    name,
    async handle(chatId, updateId, msg) {
      const key = `${prefix}${chatId}`;
      const at = new Date(T0 + updateId * 1000).toISOString();
      const stored = await snapshots.read(key);
      let persisted = stored ? (JSON.parse(stored.data) as Persisted) : undefined;
      const replies: Reply[] = [];
      const queue: EngineEvent[] = [
        msg.kind === 'text' ? { type: 'text', text: msg.text, at } : { type: 'choice', id: msg.data, at },
      ];
      for (let steps = 0; queue.length > 0 && steps < 24; steps++) {
        const result = step(scenario, persisted, queue.shift()!, { channel: 'telegram', lang: 'ru' });
        persisted = result.persisted;
        for (const effect of result.effects) {
          switch (effect.type) {
            case 'reply':
              replies.push(effect.reply);
              break;
            case 'understand':
              queue.push({
                type: 'understand.done',
                understanding: understandText(
                  effect.text,
                  { lang: effect.lang, ...(effect.criteria ? { criteria: effect.criteria } : {}) },
                  demoVocabulary(),
                ),
                at,
              });
              break;
            case 'search':
              queue.push({ type: 'search.done', ...search(effect.criteria), at });
              break;
            case 'lookupSku':
              queue.push({ type: 'lookupSku.done', sku: effect.sku, product: bySku(effect.sku), at });
              break;
            case 'recommend':
              queue.push({ type: 'recommend.done', items: [], at });
              break;
            case 'escalate':
              queue.push({ type: 'escalate.done', escalationId: 'e1', at });
              break;
            case 'createAlert':
              queue.push({ type: 'createAlert.done', alertId: 'a1', at });
              break;
            default:
              break;
          }
        }
      }
      const written = await snapshots.write(key, JSON.stringify(persisted), stored?.version ?? 0, 3600);
      if (!written.ok) throw new Error('unexpected CAS conflict');
      if (msg.kind === 'tap') await api.answerCallbackQuery(`cbq-${updateId}`);
      await send(chatId, replies);
    },
    async size(chatId) {
      const stored = await snapshots.read(`${prefix}${chatId}`);
      return stored ? Buffer.byteLength(stored.data) : 0;
    },
    async close() {},
  };
}

// ---------------------------------------------------------------- measurement ----

/** ms per message at each index of one conversation of `length` messages */
async function runConversation(
  side: Side,
  chatId: number,
  length: number,
  nextUpdate: () => number,
): Promise<number[]> {
  const times: number[] = new Array(length);
  for (let i = 0; i < length; i++) {
    const msg = SCRIPT[i % SCRIPT.length]!;
    const t = performance.now();
    await side.handle(chatId, nextUpdate(), msg);
    times[i] = performance.now() - t;
  }
  return times;
}

export type ConversationsBenchRow = { length: number; costs: Record<string, number>; bytes: Record<string, number> };

/**
 * Per-message cost at conversation length L: the median time of messages L-w+1…L (w ≤ 5, so
 * one GC pause does not decide a number) over several conversations of length L (40 for
 * length 1, 10 for 10, 3 for 100, BENCH_CONV_RUNS for 1000).
 */
export async function runConversationsBench(
  options: { maxLength?: number; runs?: number; print?: boolean } = {},
): Promise<ConversationsBenchRow[]> {
  const maxLength = options.maxLength ?? Number(process.env.BENCH_CONV_MAX ?? 1000);
  const runs = options.runs ?? Number(process.env.BENCH_CONV_RUNS ?? 1);
  const lengths = LENGTHS.filter((l) => l <= maxLength);
  const run = `${Date.now().toString(36)}${process.pid}`;
  const prefix = `zbench:conv:${run}:`;
  const redis = new Redis(REDIS_URL, { lazyConnect: true, maxRetriesPerRequest: 1 });
  await redis.connect();
  const backend = await createRedisBackend({ redisUrl: REDIS_URL, keyPrefix: prefix });

  const sides: Side[] = [
    grammySide('grammY conversations, memory', undefined, `${prefix}gm:`),
    engineSide('ZETA engine, memory', memorySnapshots(), `${prefix}zm:`),
    grammySide('grammY conversations, Redis', redis, `${prefix}gr:`),
    engineSide('ZETA engine, Redis', backend.snapshots, `zr:`),
  ];
  let updateId = 1;
  const nextUpdate = () => updateId++;
  let chat = 10_000;
  const rows: ConversationsBenchRow[] = lengths.map((length) => ({ length, costs: {}, bytes: {} }));
  try {
    // warm-up: JIT, Redis connections, the memoised machine
    for (const side of sides) for (let w = 0; w < 3; w++) await runConversation(side, chat++, 40, nextUpdate);

    // each repeat runs one conversation per side, one side after the other, so slow drifts of
    // machine load hit every side alike (message-level lockstep would let grammY's garbage —
    // megabytes per message at length 1000 — be collected on the engine's time)
    for (const row of rows) {
      const samples = new Map<string, number[]>(sides.map((side) => [side.name, []]));
      // short conversations are cheap: more of them; the longest runs `runs` times (≥ 1)
      const repeats = row.length === 1 ? 40 : row.length <= 10 ? 10 : row.length <= 100 ? Math.max(runs, 3) : runs;
      const window = Math.min(5, row.length);
      for (let r = 0; r < repeats; r++) {
        const chats = sides.map(() => chat++);
        const times: number[][] = [];
        for (let s = 0; s < sides.length; s++)
          times.push(await runConversation(sides[s]!, chats[s]!, row.length, nextUpdate));
        for (let s = 0; s < sides.length; s++) {
          samples.get(sides[s]!.name)!.push(...times[s]!.slice(row.length - window));
          if (r === 0) row.bytes[sides[s]!.name] = await sides[s]!.size(chats[s]!);
        }
      }
      for (const side of sides) row.costs[side.name] = median(samples.get(side.name)!);
      process.stderr.write(
        `  length ${row.length}: ${sides.map((side) => `${side.name} ${fmt(row.costs[side.name]!, 3)} ms`).join(', ')}\n`,
      );
    }
  } finally {
    const keys = await redis.keys(`${prefix}*`).catch(() => [] as string[]);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500)).catch(() => 0);
    await backend.close();
    redis.disconnect();
  }

  if (options.print !== false) {
    console.log(
      'per-message cost (ms): the same dialogue (greeting → search → refine → cheaper → details tap → …), rules brain, canned search, no network',
    );
    const names = sides.map((s) => s.name);
    console.log(
      table(
        ['length', ...names.map((n) => `${n} ms`), 'ratio (Redis)', 'ratio (memory)'],
        rows.map((r) => [
          r.length,
          ...names.map((n) => fmt(r.costs[n] ?? 0, 3)),
          `${fmt((r.costs['grammY conversations, Redis'] ?? 0) / (r.costs['ZETA engine, Redis'] || 1), 1)}×`,
          `${fmt((r.costs['grammY conversations, memory'] ?? 0) / (r.costs['ZETA engine, memory'] || 1), 1)}×`,
        ]),
      ),
    );
    console.log('\nstored state per conversation (bytes)');
    console.log(
      table(
        ['length', ...names],
        rows.map((r) => [r.length, ...names.map((n) => r.bytes[n] ?? 0)]),
      ),
    );
  }
  return rows;
}
