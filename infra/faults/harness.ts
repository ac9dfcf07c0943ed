import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { visibleText, type FakeBotApi, type RecordedCall } from '../../hosts/telegram/testing/fakeBotApi.ts';
import * as u from '../../hosts/telegram/testing/updates.ts';

/**
 * Shared pieces of the fault suites: the real server — the production bundle, what ships — as a
 * child process (so it can be SIGKILLed), a shopper driver that behaves like Telegram (redelivers
 * an update until it gets a 200), and the exactly-once accounting done at the fake Bot API.
 */

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const SECRET = 'fault-suite-secret';
export const SECRET_HEADER = 'X-Telegram-Bot-Api-Secret-Token';

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export type ServerChild = {
  url: string;
  child: ChildProcess;
  output: () => string;
  /** SIGKILL: no shutdown hook runs */
  kill(): Promise<void>;
  stop(): Promise<void>;
};

let bundle: string | undefined;

/**
 * What `npm start` and the container run — the server bundled by infra/build.mjs — built once per
 * test process into a directory of its own inside the project (the bundle finds scenarios and the
 * panel from its own location). Test workers may end without an exit hook, so each build first
 * removes the bundles of processes that are gone.
 */
export function productionBundle(): string {
  if (bundle) return bundle;
  const dist = join(ROOT, 'dist');
  const entries = existsSync(dist) ? readdirSync(dist, { withFileTypes: true }).filter((e) => e.isDirectory()) : [];
  for (const { name } of entries) {
    const owner = /^test-bundle-(\d+)$/.exec(name)?.[1];
    if (owner && !processAlive(Number(owner))) rmSync(join(dist, name), { recursive: true, force: true });
  }
  const outdir = join(dist, `test-bundle-${process.pid}`);
  const build = spawnSync(process.execPath, ['infra/build.mjs', `--outdir=${outdir}`], { cwd: ROOT, encoding: 'utf8' });
  if (build.status !== 0) throw new Error(`infra/build.mjs failed (exit ${build.status}):\n${build.stderr}`);
  process.once('exit', () => rmSync(outdir, { recursive: true, force: true }));
  bundle = join(outdir, 'server.mjs');
  return bundle;
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * The flags `npm start` gives node (package.json's start script), which the container and the
 * benchmarks use too: V8's heap ceiling is one of them, and it changes how the server collects.
 */
export function serverNodeFlags(): string[] {
  const start = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts
    .start;
  return start.split(/\s+/).filter((token) => token.startsWith('--'));
}

/**
 * The production bundle (`node <npm start's flags> dist/…/server.mjs`, or `opts.nodeArgs`) with
 * this environment, as a child process; resolves when it is listening.
 */
export async function startServer(
  env: Record<string, string>,
  opts: { timeoutMs?: number; nodeArgs?: string[] } = {},
): Promise<ServerChild> {
  const port = env.PORT && env.PORT !== '0' ? Number(env.PORT) : await freePort();
  const child = spawn(process.execPath, opts.nodeArgs ?? [...serverNodeFlags(), productionBundle()], {
    cwd: ROOT,
    env: { ...process.env, LOG_LEVEL: 'info', HOST: '127.0.0.1', ...env, PORT: String(port) },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr!.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const deadline = Date.now() + (opts.timeoutMs ?? 120_000);
  while (!/ZETA is up/.test(out)) {
    if (child.exitCode !== null || Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`server did not start (exit ${child.exitCode}):\n${out.slice(-3000)}`);
    }
    await sleep(50);
  }
  return {
    url: `http://127.0.0.1:${port}`,
    child,
    output: () => out,
    async kill() {
      child.kill('SIGKILL');
      await exited;
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** What Telegram does: POST the update until a 200 (or give up after `patienceMs`). */
export async function deliver(
  base: () => string,
  city: string,
  update: object,
  patienceMs = 90_000,
): Promise<{ status: number; attempts: number }> {
  const deadline = Date.now() + patienceMs;
  let attempts = 0;
  let delay = 100;
  for (;;) {
    attempts++;
    try {
      const res = await fetch(`${base()}/webhooks/telegram/${city}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', [SECRET_HEADER]: SECRET },
        body: JSON.stringify(update),
        signal: AbortSignal.timeout(10_000),
      });
      await res.arrayBuffer();
      if (res.status === 200) return { status: 200, attempts };
      if (res.status < 500 && res.status !== 429) return { status: res.status, attempts };
    } catch {
      // connection refused while the server is down: Telegram keeps retrying
    }
    if (Date.now() > deadline) return { status: 0, attempts };
    await sleep(delay);
    delay = Math.min(delay * 2, 1_000);
  }
}

/** The conversation every shopper has (searches touch the database). */
export const DIALOGUE = ['/start', 'диван', 'а синий есть?', 'подешевле'] as const;

export function dialogueUpdate(updateId: number, chatId: number, text: string): object {
  const person = u.shopper(chatId, 'Fault');
  return text.startsWith('/') ? u.commandUpdate(updateId, person, text) : u.textUpdate(updateId, person, text);
}

/** waits until the fake Bot API saw no new successful send for `quietMs` */
export async function settle(api: FakeBotApi, quietMs = 2_000, capMs = 120_000): Promise<void> {
  const end = Date.now() + capMs;
  let last = api.messages().length;
  let since = Date.now();
  while (Date.now() < end) {
    await sleep(200);
    const now = api.messages().length;
    if (now !== last) {
      last = now;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return;
  }
}

export const sentText = (c: RecordedCall) =>
  c.method === 'sendMediaGroup'
    ? `[album ${Array.isArray(c.params.media) ? c.params.media.length : '?'}]`
    : visibleText(String(c.params.text ?? c.params.caption ?? `[${c.method}]`), c.params.parse_mode)
        .split('\n')[0]!
        .slice(0, 60);

export type ExactlyOnce = {
  chats: number;
  expectedPerChat: number;
  exact: number;
  missing: { chat: number; got: number }[];
  duplicated: { chat: number; got: number; sequence: string[] }[];
};

/** Each chat had the same dialogue as the control chat: it must have received exactly the same number of sends. */
export function exactlyOnce(api: FakeBotApi, chats: number[], expectedPerChat: number): ExactlyOnce {
  const result: ExactlyOnce = { chats: chats.length, expectedPerChat, exact: 0, missing: [], duplicated: [] };
  for (const chat of chats) {
    const sent = api.messages(chat);
    if (sent.length === expectedPerChat) result.exact++;
    else if (sent.length < expectedPerChat) result.missing.push({ chat, got: sent.length });
    else result.duplicated.push({ chat, got: sent.length, sequence: sent.map(sentText) });
  }
  return result;
}

export function describeExactlyOnce(r: ExactlyOnce): string {
  const lines = [`${r.exact}/${r.chats} chats got exactly ${r.expectedPerChat} messages`];
  if (r.missing.length) lines.push(`missing: ${r.missing.map((m) => `${m.chat} (${m.got})`).join(', ')}`);
  for (const d of r.duplicated.slice(0, 5)) lines.push(`duplicated ${d.chat} (${d.got}): ${d.sequence.join(' | ')}`);
  return lines.join('\n');
}

/** A fuller dialogue for the outage suites: search, refine, details, a price alert, a manager. */
export const FULL_DIALOGUE = [
  '/start',
  'диван',
  'а синий есть?',
  'tap:p:SOFA-003',
  'tap:a:SOFA-003',
  'позовите менеджера',
] as const;

export function fullUpdate(updateId: number, chatId: number, step: string): object {
  if (step.startsWith('tap:')) return u.callbackUpdate(updateId, u.shopper(chatId, 'Fault'), step.slice(4));
  return dialogueUpdate(updateId, chatId, step);
}

export type ChatTranscript = { chat: number; statuses: number[]; replies: string[][] };

/**
 * One shopper who waits for the bot: posts a step (redelivering until 200), then waits until
 * replies arrive and stay quiet for `quietMs` (up to `waitMs`), so every reply is attributed to
 * the message that caused it.
 */
export async function converse(
  api: FakeBotApi,
  base: () => string,
  chat: number,
  steps: readonly string[],
  firstUpdateId: number,
  opts: { quietMs?: number; waitMs?: number } = {},
): Promise<ChatTranscript> {
  const quietMs = opts.quietMs ?? 600;
  const waitMs = opts.waitMs ?? 60_000;
  const out: ChatTranscript = { chat, statuses: [], replies: [] };
  for (let i = 0; i < steps.length; i++) {
    const before = api.messages(chat).length;
    out.statuses.push((await deliver(base, 'almaty', fullUpdate(firstUpdateId + i, chat, steps[i]!))).status);
    await awaitReplies(api, chat, before, { quietMs, waitMs });
    out.replies.push(api.messages(chat).slice(before).map(sentText));
  }
  return out;
}

/**
 * The server answers Telegram before the turn runs: waits until the chat has more than `before`
 * sends and none came for `quietMs` (up to `waitMs`).
 */
export async function awaitReplies(
  api: FakeBotApi,
  chat: number,
  before: number,
  { quietMs = 600, waitMs = 60_000 }: { quietMs?: number; waitMs?: number } = {},
): Promise<void> {
  const deadline = Date.now() + waitMs;
  let seen = before;
  let since = Date.now();
  while (Date.now() < deadline) {
    await sleep(50);
    const now = api.messages(chat).length;
    if (now !== seen) {
      seen = now;
      since = Date.now();
    } else if (now > before && Date.now() - since >= quietMs) return;
  }
}

/** per step: how the transcript differs from the control's */
export function compareTranscripts(
  control: ChatTranscript,
  other: ChatTranscript,
): { unanswered: number[]; longer: { step: number; got: string[]; want: string[] }[]; different: number[] } {
  const r = {
    unanswered: [] as number[],
    longer: [] as { step: number; got: string[]; want: string[] }[],
    different: [] as number[],
  };
  control.replies.forEach((want, step) => {
    const got = other.replies[step] ?? [];
    if (got.length === 0) r.unanswered.push(step);
    else if (got.length > want.length) r.longer.push({ step, got, want });
    else if (got.join('|') !== want.join('|')) r.different.push(step);
  });
  return r;
}
