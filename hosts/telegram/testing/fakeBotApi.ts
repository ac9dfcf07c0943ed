import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

/**
 * A fake Telegram Bot API on 127.0.0.1 that speaks the real wire protocol, so tests drive the
 * real grammY client: `POST /bot<token>/<method>` with JSON, form or multipart bodies, answered
 * with `{ ok: true, result }` or `{ ok: false, error_code, description, parameters }`, and
 * `GET /file/bot<token>/<path>` downloads. Every call is recorded; failures are scriptable.
 *
 * Reused by the Telegram host tests, the benchmark harness and the fault tests.
 */

export type UploadedFile = { field: string; filename: string; type: string; bytes: Uint8Array };

export type RecordedCall = {
  /** order of arrival across all bots */
  seq: number;
  token: string;
  method: string;
  params: Record<string, unknown>;
  files: UploadedFile[];
  /** what the fake answered */
  outcome: 'ok' | 'error' | 'dropped';
  /** the `result` of a successful call (the sent Message, an array for media groups) */
  result?: unknown;
};

export type ScriptedFailure =
  /** 429 Too Many Requests with `parameters.retry_after` */
  | { kind: 'retryAfter'; seconds: number }
  /** a 5xx answer (default 500) */
  | { kind: 'serverError'; status?: number }
  /** any Bot API error (400 Bad Request: …, 403 Forbidden: bot was blocked by the user) */
  | { kind: 'error'; code: number; description: string }
  /** the connection is destroyed without an answer (network failure) */
  | { kind: 'drop' };

export type BotIdentity = { id: number; username: string; firstName?: string };

export type StoredFile = { fileId: string; filePath: string; fileSize: number; bytes?: Uint8Array };

export type FakeBotApi = {
  /** give this to grammY as `client.apiRoot` */
  readonly apiRoot: string;
  readonly calls: readonly RecordedCall[];
  /** calls of one method (successful ones unless `all`) */
  callsTo(method: string, opts?: { token?: string; all?: boolean }): RecordedCall[];
  /** successful outgoing messages (sendMessage, sendPhoto, sendMediaGroup, …), optionally to one chat */
  messages(chatId?: string | number): RecordedCall[];
  /** registers a bot (unknown tokens get 401 Unauthorized, like the real API) */
  addBot(token: string, identity?: Partial<BotIdentity>): BotIdentity;
  /** a file that getFile can describe and `/file/...` can serve; `declaredSize` fakes a huge file */
  addFile(
    bytes: Uint8Array | undefined,
    opts?: { fileId?: string; filePath?: string; declaredSize?: number; noPath?: boolean },
  ): StoredFile;
  /** the next `times` calls of `method` ('*' for any) fail this way */
  failNext(method: string, failure: ScriptedFailure, times?: number): void;
  /** while down, every request is dropped (the API is unreachable) */
  setDown(down: boolean): void;
  /** every answer waits this long (a slow or distant API); 0 = immediately */
  setLatency(ms: number): void;
  /** queues an update for getUpdates (long polling) of one bot */
  pushUpdate(token: string, update: object): void;
  webhookOf(token: string): { url: string; secretToken?: string; allowedUpdates?: string[] } | undefined;
  /** resolves when a successful call matching the predicate has been recorded */
  waitFor(predicate: (call: RecordedCall) => boolean, timeoutMs?: number): Promise<RecordedCall>;
  reset(): void;
  close(): Promise<void>;
};

const SEND_METHODS = new Set([
  'sendMessage',
  'sendPhoto',
  'sendMediaGroup',
  'sendDocument',
  'sendVideo',
  'sendAudio',
  'sendVoice',
  'sendLocation',
  'sendSticker',
  'copyMessage',
  'forwardMessage',
]);

export async function startFakeBotApi(opts: { bots?: Record<string, Partial<BotIdentity>> } = {}): Promise<FakeBotApi> {
  const bots = new Map<string, BotIdentity>();
  const files = new Map<string, StoredFile>();
  const filesByPath = new Map<string, StoredFile>();
  const webhooks = new Map<string, { url: string; secretToken?: string; allowedUpdates?: string[] }>();
  const updates = new Map<string, object[]>();
  const pollers = new Map<string, Array<() => void>>();
  const failures: Array<{ method: string; failure: ScriptedFailure; times: number }> = [];
  const calls: RecordedCall[] = [];
  const waiters = new Set<{ predicate: (c: RecordedCall) => boolean; resolve: (c: RecordedCall) => void }>();
  const messageIds = new Map<string, number>();
  const sockets = new Set<Socket>();
  let seq = 0;
  let down = false;
  let latencyMs = 0;
  let nextBotId = 7_000_000_001;
  let nextFile = 1;

  function addBot(token: string, identity: Partial<BotIdentity> = {}): BotIdentity {
    const bot: BotIdentity = {
      id: identity.id ?? nextBotId++,
      username: identity.username ?? `zeta_bot_${bots.size + 1}`,
      firstName: identity.firstName ?? 'ZETA',
    };
    bots.set(token, bot);
    return bot;
  }
  for (const [token, identity] of Object.entries(opts.bots ?? {})) addBot(token, identity);

  function record(call: Omit<RecordedCall, 'seq'>): RecordedCall {
    const full = { ...call, seq: ++seq };
    calls.push(full);
    if (full.outcome === 'ok') {
      for (const w of [...waiters]) {
        if (w.predicate(full)) {
          waiters.delete(w);
          w.resolve(full);
        }
      }
    }
    return full;
  }

  function takeFailure(method: string): ScriptedFailure | undefined {
    const index = failures.findIndex((f) => f.method === method || f.method === '*');
    if (index < 0) return undefined;
    const entry = failures[index]!;
    entry.times -= 1;
    if (entry.times <= 0) failures.splice(index, 1);
    return entry.failure;
  }

  function nextMessageId(chatId: string): number {
    const id = (messageIds.get(chatId) ?? 0) + 1;
    messageIds.set(chatId, id);
    return id;
  }

  function message(bot: BotIdentity, chatId: unknown, extra: Record<string, unknown>) {
    const chat = String(chatId);
    const numeric = Number(chat);
    return {
      message_id: nextMessageId(chat),
      date: Math.floor(Date.now() / 1000),
      from: { id: bot.id, is_bot: true, first_name: bot.firstName, username: bot.username },
      chat:
        Number.isFinite(numeric) && numeric < 0
          ? { id: numeric, type: 'supergroup', title: 'Managers' }
          : { id: Number.isFinite(numeric) ? numeric : chat, type: 'private' },
      ...extra,
    };
  }

  function photoSizes(file: string) {
    return [
      { file_id: `${file}-s`, file_unique_id: `${file}-su`, width: 90, height: 90, file_size: 1_000 },
      { file_id: file, file_unique_id: `${file}-u`, width: 800, height: 800, file_size: 50_000 },
    ];
  }

  type Answer = { status: number; body: unknown };
  const ok = (result: unknown): Answer => ({ status: 200, body: { ok: true, result } });
  const error = (code: number, description: string, parameters?: object): Answer => ({
    status: code,
    body: { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) },
  });

  function execute(
    token: string,
    bot: BotIdentity,
    method: string,
    params: Record<string, unknown>,
    uploads: UploadedFile[],
  ): Answer {
    const photoRef = (value: unknown) =>
      typeof value === 'string' && value.startsWith('attach://')
        ? `uploaded-${nextFile++}`
        : typeof value === 'string'
          ? value
          : `uploaded-${nextFile++}`;
    switch (method) {
      case 'getMe':
        return ok({
          id: bot.id,
          is_bot: true,
          first_name: bot.firstName,
          username: bot.username,
          can_join_groups: true,
          can_read_all_group_messages: false,
          supports_inline_queries: false,
        });
      case 'sendMessage':
        if (typeof params.text !== 'string' || params.text.length === 0)
          return error(400, 'Bad Request: message text is empty');
        if (visibleLength(params.text, params.parse_mode) > 4096) return error(400, 'Bad Request: message is too long');
        return ok(
          message(bot, params.chat_id, {
            text: params.text,
            ...(params.reply_markup ? { reply_markup: params.reply_markup } : {}),
          }),
        );
      case 'sendPhoto': {
        if (typeof params.caption === 'string' && visibleLength(params.caption, params.parse_mode) > 1024)
          return error(400, 'Bad Request: message caption is too long');
        if (params.photo === undefined && uploads.length === 0)
          return error(400, 'Bad Request: there is no photo in the request');
        return ok(
          message(bot, params.chat_id, {
            photo: photoSizes(photoRef(params.photo)),
            ...(params.caption ? { caption: params.caption } : {}),
          }),
        );
      }
      case 'sendVoice': {
        if (typeof params.caption === 'string' && visibleLength(params.caption, params.parse_mode) > 1024)
          return error(400, 'Bad Request: message caption is too long');
        if (params.voice === undefined && uploads.length === 0)
          return error(400, 'Bad Request: there is no voice in the request');
        const fileId = typeof params.voice === 'string' ? params.voice : 'uploaded-voice';
        return ok(
          message(bot, params.chat_id, {
            voice: { file_id: fileId, file_unique_id: `${fileId}-u`, duration: 0 },
            ...(params.caption ? { caption: params.caption } : {}),
          }),
        );
      }
      case 'sendMediaGroup': {
        const media = Array.isArray(params.media) ? (params.media as Array<Record<string, unknown>>) : [];
        if (media.length < 2 || media.length > 10) return error(400, 'Bad Request: wrong number of media in the group');
        for (const m of media) {
          if (typeof m.caption === 'string' && visibleLength(m.caption, m.parse_mode) > 1024)
            return error(400, 'Bad Request: message caption is too long');
        }
        return ok(
          media.map((m) =>
            message(bot, params.chat_id, {
              photo: photoSizes(photoRef(m.media)),
              media_group_id: 'g1',
              ...(m.caption ? { caption: m.caption } : {}),
            }),
          ),
        );
      }
      case 'answerCallbackQuery':
      case 'sendChatAction':
      case 'deleteWebhook':
        if (method === 'deleteWebhook') webhooks.delete(token);
        return ok(true);
      case 'setWebhook':
        if (typeof params.url !== 'string') return error(400, 'Bad Request: bad webhook: URL must be provided');
        if (params.url === '') webhooks.delete(token);
        else {
          webhooks.set(token, {
            url: params.url,
            ...(typeof params.secret_token === 'string' ? { secretToken: params.secret_token } : {}),
            ...(Array.isArray(params.allowed_updates) ? { allowedUpdates: params.allowed_updates as string[] } : {}),
          });
        }
        return ok(true);
      case 'getWebhookInfo': {
        const hook = webhooks.get(token);
        return ok({
          url: hook?.url ?? '',
          has_custom_certificate: false,
          pending_update_count: 0,
          ...(hook?.allowedUpdates ? { allowed_updates: hook.allowedUpdates } : {}),
        });
      }
      case 'getFile': {
        const file = files.get(String(params.file_id));
        if (!file) return error(400, 'Bad Request: invalid file_id');
        // the real API refuses files over 20 MB outright
        if (file.fileSize > 20 * 1024 * 1024) return error(400, 'Bad Request: file is too big');
        return ok({
          file_id: file.fileId,
          file_unique_id: `${file.fileId}-u`,
          file_size: file.fileSize,
          ...(file.filePath ? { file_path: file.filePath } : {}),
        });
      }
      case 'editMessageText':
      case 'editMessageReplyMarkup':
        return ok(true);
      default:
        if (SEND_METHODS.has(method)) return ok(message(bot, params.chat_id, {}));
        return error(404, 'Not Found: method not found');
    }
  }

  async function readBody(req: IncomingMessage): Promise<Buffer> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  }

  async function parseParams(
    req: IncomingMessage,
    body: Buffer,
  ): Promise<{ params: Record<string, unknown>; files: UploadedFile[] }> {
    const type = req.headers['content-type'] ?? '';
    if (body.length === 0) return { params: {}, files: [] };
    if (type.includes('application/json'))
      return { params: JSON.parse(body.toString('utf8')) as Record<string, unknown>, files: [] };
    if (type.includes('multipart/form-data')) {
      const boundary = /boundary="?([^";]+)"?/.exec(type)?.[1];
      if (!boundary) throw new Error('multipart without boundary');
      return parseMultipart(body, boundary);
    }
    if (type.includes('application/x-www-form-urlencoded')) {
      const params: Record<string, unknown> = {};
      for (const [k, v] of new URLSearchParams(body.toString('utf8'))) params[k] = parseFormValue(v);
      return { params, files: [] };
    }
    return { params: {}, files: [] };
  }

  async function handle(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const send = (answer: Answer) => {
      const write = () => {
        res.writeHead(answer.status, { 'content-type': 'application/json' });
        res.end(JSON.stringify(answer.body));
      };
      if (latencyMs > 0) setTimeout(write, latencyMs);
      else write();
    };
    if (down) {
      const m = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
      if (m) record({ token: m[1]!, method: m[2]!, params: {}, files: [], outcome: 'dropped' });
      req.socket.destroy();
      return;
    }
    const fileMatch = /^\/file\/bot([^/]+)\/(.+)$/.exec(url.pathname);
    if (req.method === 'GET' && fileMatch) {
      const file = filesByPath.get(decodeURIComponent(fileMatch[2]!));
      if (!bots.has(fileMatch[1]!) || !file?.bytes) {
        send(error(404, 'Not Found'));
        return;
      }
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': String(file.bytes.length) });
      res.end(file.bytes);
      return;
    }
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(url.pathname);
    if (!match) {
      send(error(404, 'Not Found'));
      return;
    }
    const token = match[1]!;
    const method = match[2]!;
    const body = await readBody(req);
    let parsed: { params: Record<string, unknown>; files: UploadedFile[] };
    try {
      parsed = await parseParams(req, body);
    } catch {
      send(error(400, 'Bad Request: cannot parse request body'));
      return;
    }
    for (const [k, v] of url.searchParams) parsed.params[k] ??= parseFormValue(v);
    const bot = bots.get(token);
    if (!bot) {
      record({ token, method, ...parsed, outcome: 'error' });
      send(error(401, 'Unauthorized'));
      return;
    }
    const failure = takeFailure(method);
    if (failure) {
      if (failure.kind === 'drop') {
        record({ token, method, ...parsed, outcome: 'dropped' });
        req.socket.destroy();
        return;
      }
      record({ token, method, ...parsed, outcome: 'error' });
      if (failure.kind === 'retryAfter')
        send(error(429, `Too Many Requests: retry after ${failure.seconds}`, { retry_after: failure.seconds }));
      else if (failure.kind === 'serverError') send(error(failure.status ?? 500, 'Internal Server Error'));
      else send(error(failure.code, failure.description));
      return;
    }
    if (method === 'getUpdates') {
      await longPoll(token, Number(parsed.params.timeout ?? 0));
      const offset = Number(parsed.params.offset ?? 0);
      const queue = (updates.get(token) ?? []).filter((u) => (u as { update_id: number }).update_id >= offset);
      updates.set(token, queue);
      record({ token, method, ...parsed, outcome: 'ok' });
      send(ok(queue.slice(0, Number(parsed.params.limit ?? 100))));
      return;
    }
    const answer = execute(token, bot, method, parsed.params, parsed.files);
    const result = answer.status === 200 ? (answer.body as { result: unknown }).result : undefined;
    record({
      token,
      method,
      ...parsed,
      outcome: answer.status === 200 ? 'ok' : 'error',
      ...(result !== undefined ? { result } : {}),
    });
    send(answer);
  }

  function longPoll(token: string, timeoutSeconds: number): Promise<void> {
    if ((updates.get(token) ?? []).length > 0 || timeoutSeconds <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      // short cap: tests stop pollers promptly
      const timer = setTimeout(done, Math.min(timeoutSeconds, 0.5) * 1000);
      function done() {
        clearTimeout(timer);
        const list = pollers.get(token) ?? [];
        pollers.set(
          token,
          list.filter((f) => f !== done),
        );
        resolve();
      }
      pollers.set(token, [...(pollers.get(token) ?? []), done]);
    });
  }

  const server: Server = createServer((req, res) => {
    handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.keepAliveTimeout = 1_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    apiRoot: `http://127.0.0.1:${port}`,
    calls,
    callsTo(method, o = {}) {
      return calls.filter(
        (c) => c.method === method && (o.token === undefined || c.token === o.token) && (o.all || c.outcome === 'ok'),
      );
    },
    messages(chatId) {
      return calls.filter(
        (c) =>
          SEND_METHODS.has(c.method) &&
          c.outcome === 'ok' &&
          (chatId === undefined || String(c.params.chat_id) === String(chatId)),
      );
    },
    addBot,
    addFile(bytes, o = {}) {
      const fileId = o.fileId ?? `file-${nextFile++}`;
      const filePath = o.noPath ? '' : (o.filePath ?? `photos/${fileId}.jpg`);
      const file: StoredFile = {
        fileId,
        filePath,
        fileSize: o.declaredSize ?? bytes?.length ?? 0,
        ...(bytes ? { bytes } : {}),
      };
      files.set(fileId, file);
      if (filePath) filesByPath.set(filePath, file);
      return file;
    },
    failNext(method, failure, times = 1) {
      failures.push({ method, failure, times });
    },
    setDown(value) {
      down = value;
    },
    setLatency(ms) {
      latencyMs = ms;
    },
    pushUpdate(token, update) {
      updates.set(token, [...(updates.get(token) ?? []), update]);
      for (const wake of pollers.get(token) ?? []) wake();
    },
    webhookOf(token) {
      return webhooks.get(token);
    },
    waitFor(predicate, timeoutMs = 10_000) {
      const existing = calls.find((c) => c.outcome === 'ok' && predicate(c));
      if (existing) return Promise.resolve(existing);
      return new Promise((resolve, reject) => {
        const waiter = { predicate, resolve: (c: RecordedCall) => (clearTimeout(timer), resolve(c)) };
        const timer = setTimeout(() => {
          waiters.delete(waiter);
          reject(new Error('fake Bot API: expected call did not arrive'));
        }, timeoutMs);
        waiters.add(waiter);
      });
    },
    reset() {
      calls.length = 0;
      failures.length = 0;
      down = false;
      latencyMs = 0;
    },
    async close() {
      for (const list of pollers.values()) for (const wake of list) wake();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A small multipart/form-data reader (grammY streams its multipart bodies in a shape undici's strict parser rejects). */
function parseMultipart(body: Buffer, boundary: string): { params: Record<string, unknown>; files: UploadedFile[] } {
  const params: Record<string, unknown> = {};
  const files: UploadedFile[] = [];
  const delimiter = Buffer.from(`--${boundary}`);
  let start = body.indexOf(delimiter);
  while (start >= 0) {
    const partStart = start + delimiter.length;
    if (body.subarray(partStart, partStart + 2).toString() === '--') break;
    const next = body.indexOf(delimiter, partStart);
    if (next < 0) break;
    const part = body.subarray(partStart, next);
    const headerEnd = part.indexOf('\r\n\r\n');
    if (headerEnd >= 0) {
      const headers = part.subarray(0, headerEnd).toString('utf8');
      let content = part.subarray(headerEnd + 4);
      if (content.subarray(-2).toString() === '\r\n') content = content.subarray(0, -2);
      const name = /name="([^"]*)"/.exec(headers)?.[1] ?? '';
      const filename = /filename="([^"]*)"/.exec(headers)?.[1] ?? /filename=([^;\r\n]+)/.exec(headers)?.[1];
      if (filename !== undefined) {
        const ctype = /content-type:\s*([^\r\n]+)/i.exec(headers)?.[1] ?? 'application/octet-stream';
        files.push({ field: name, filename, type: ctype, bytes: new Uint8Array(content) });
      } else {
        params[name] = parseFormValue(content.toString('utf8'));
      }
    }
    start = next;
  }
  return { params, files };
}

function parseFormValue(value: string): unknown {
  const trimmed = value.trim();
  if (/^[[{]/.test(trimmed) || /^-?\d+$/.test(trimmed) || trimmed === 'true' || trimmed === 'false') {
    try {
      return JSON.parse(trimmed) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/** length after entity parsing, as the real API counts it (HTML tags and entities removed) */
export function visibleLength(text: string, parseMode: unknown): number {
  if (parseMode !== 'HTML') return text.length;
  return text.replace(/<[^>]+>/g, '').replace(/&(lt|gt|amp|quot|#\d+|#x[0-9a-f]+);/gi, 'x').length;
}

/** the plain text a shopper sees, HTML tags and entities decoded */
export function visibleText(text: string, parseMode: unknown): string {
  if (parseMode !== 'HTML') return text;
  return text
    .replace(/<[^>]+>/g, '')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, d: string) => String.fromCodePoint(Number(d)))
    .replace(/&amp;/g, '&');
}
