import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * The platforms' side of the load benchmark: a lean Telegram Bot API and WhatsApp Graph API on
 * one port, in the load generator's process, so a reply's arrival is stamped on the same clock
 * as the webhook that caused it. It speaks the same wire protocol as the test fakes in
 * hosts/telegram/testing and hosts/whatsapp/testing (answers the real grammY client and our Graph
 * client), but keeps no call log: the benchmark only needs, per chat, how many replies arrived
 * and when the last one did. (The test fakes record and parse everything; at 1,000+ messages/s
 * that bookkeeping would be the generator's bottleneck, not the server's.)
 *
 * Telegram:  POST /bot<token>/<method> (JSON or multipart), GET /file/bot<token>/<path>
 * WhatsApp:  POST /<version>/<phone-id>/messages, GET /<version>/<media-id>, GET /media/<id>
 */

export type ReplyListener = (chat: string, at: number) => void;
/** a WhatsApp message the server sent: its wamid and recipient, for the status webhooks that follow */
export type SentListener = (wamid: string, to: string) => void;

export type Sink = {
  url: string;
  /** one call per outgoing reply message: chat is `tg:<chat_id>` or `wa:<wa_id>` */
  onReply(listener: ReplyListener): void;
  onWhatsAppSent(listener: SentListener): void;
  /** Telegram: a shopper's photo the server can getFile + download */
  addTelegramFile(fileId: string, bytes: Uint8Array): void;
  /** WhatsApp: a media id the server can resolve and download */
  addWhatsAppMedia(mediaId: string, bytes: Uint8Array, mime: string): void;
  /** counters for the report */
  stats(): { telegramCalls: number; whatsappCalls: number; replies: number; other: Record<string, number> };
  close(): Promise<void>;
};

const TG_REPLY = new Set([
  'sendMessage',
  'sendPhoto',
  'sendMediaGroup',
  'sendDocument',
  'sendVideo',
  'sendAudio',
  'sendVoice',
  'sendLocation',
  'copyMessage',
]);
const BOT = {
  id: 7_000_000_001,
  is_bot: true,
  first_name: 'ZETA',
  username: 'zeta_load_bot',
  can_join_groups: true,
  can_read_all_group_messages: false,
  supports_inline_queries: false,
};

export async function startSink(): Promise<Sink> {
  const listeners: ReplyListener[] = [];
  const sentListeners: SentListener[] = [];
  const files = new Map<string, Uint8Array>();
  const media = new Map<string, { bytes: Uint8Array; mime: string }>();
  const other: Record<string, number> = {};
  const sockets = new Set<Socket>();
  let telegramCalls = 0;
  let whatsappCalls = 0;
  let replies = 0;
  let messageId = 1;
  let base = '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };
  const readBody = (req: IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)));
      req.on('error', reject);
    });
  const reply = (chat: string) => {
    const at = performance.now();
    replies++;
    for (const l of listeners) l(chat, at);
  };

  /** chat_id of a JSON or multipart body, without parsing all of a multipart upload */
  function chatIdOf(req: IncomingMessage, body: Buffer): string {
    const type = req.headers['content-type'] ?? '';
    if (type.includes('json')) {
      const parsed = JSON.parse(body.toString('utf8')) as { chat_id?: unknown; media?: unknown[] };
      return String(parsed.chat_id ?? '');
    }
    const m = /name="chat_id"\r\n\r\n([^\r]+)/.exec(body.subarray(0, 4096).toString('utf8'));
    return m?.[1] ?? '';
  }

  function mediaCount(req: IncomingMessage, body: Buffer): number {
    if (!(req.headers['content-type'] ?? '').includes('json')) return 2;
    const parsed = JSON.parse(body.toString('utf8')) as { media?: unknown[] };
    return Array.isArray(parsed.media) ? parsed.media.length : 2;
  }

  async function telegram(req: IncomingMessage, res: ServerResponse, path: string) {
    telegramCalls++;
    const file = /^\/file\/bot[^/]+\/(.+)$/.exec(path);
    if (file && req.method === 'GET') {
      const bytes = files.get(decodeURIComponent(file[1]!).replace(/^photos\//, ''));
      if (!bytes) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
      res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': bytes.byteLength });
      return res.end(bytes);
    }
    const m = /^\/bot[^/]+\/([A-Za-z]+)$/.exec(path);
    if (!m) return json(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const method = m[1]!;
    const body = await readBody(req);
    if (TG_REPLY.has(method)) {
      const chatId = chatIdOf(req, body);
      const message = (photo: boolean) => ({
        message_id: messageId++,
        date: Math.floor(Date.now() / 1000),
        from: BOT,
        chat: { id: Number(chatId), type: 'private' },
        // photos come back with file ids, which the server reuses instead of uploading again
        ...(photo
          ? {
              photo: [
                { file_id: `ph-${messageId}-s`, file_unique_id: `u${messageId}s`, width: 90, height: 90 },
                { file_id: `ph-${messageId}`, file_unique_id: `u${messageId}`, width: 800, height: 800 },
              ],
            }
          : {}),
      });
      const result =
        method === 'sendMediaGroup'
          ? Array.from({ length: mediaCount(req, body) }, () => message(true))
          : message(method === 'sendPhoto');
      json(res, 200, { ok: true, result });
      reply(`tg:${chatId}`);
      return;
    }
    other[method] = (other[method] ?? 0) + 1;
    switch (method) {
      case 'getMe':
        return json(res, 200, { ok: true, result: BOT });
      case 'getFile': {
        const params = (req.headers['content-type'] ?? '').includes('json')
          ? (JSON.parse(body.toString('utf8')) as { file_id?: string })
          : {};
        const id = String(params.file_id ?? '');
        const bytes = files.get(id);
        if (!bytes) return json(res, 400, { ok: false, error_code: 400, description: 'Bad Request: invalid file_id' });
        return json(res, 200, {
          ok: true,
          result: { file_id: id, file_unique_id: `${id}-u`, file_size: bytes.byteLength, file_path: `photos/${id}` },
        });
      }
      default:
        // answerCallbackQuery, sendChatAction, setWebhook, …: all answer `true`
        return json(res, 200, { ok: true, result: true });
    }
  }

  async function whatsapp(req: IncomingMessage, res: ServerResponse, parts: string[]) {
    whatsappCalls++;
    if (req.method === 'GET' && parts[0] === 'media' && parts.length === 2) {
      const item = media.get(decodeURIComponent(parts[1]!));
      if (!item) return json(res, 404, { error: { message: 'media not found', type: 'OAuthException', code: 100 } });
      res.writeHead(200, { 'content-type': item.mime, 'content-length': item.bytes.byteLength });
      return res.end(item.bytes);
    }
    const [version, id, edge] = parts;
    if (req.method === 'POST' && edge === 'messages') {
      const body = JSON.parse((await readBody(req)).toString('utf8')) as {
        to?: string;
        type?: string;
        status?: string;
      };
      if (body.status) {
        other[`whatsapp:${body.status}`] = (other[`whatsapp:${body.status}`] ?? 0) + 1;
        return json(res, 200, { success: true });
      }
      const to = String(body.to ?? '');
      const wamid = `wamid.LOAD${messageId++}`;
      json(res, 200, {
        messaging_product: 'whatsapp',
        contacts: [{ input: to, wa_id: to }],
        messages: [{ id: wamid }],
      });
      reply(`wa:${to}`);
      for (const l of sentListeners) l(wamid, to);
      return;
    }
    if (req.method === 'GET' && version && id && parts.length === 2) {
      const item = media.get(decodeURIComponent(id));
      if (!item)
        return json(res, 400, {
          error: {
            message: `Object with ID '${id}' does not exist`,
            type: 'OAuthException',
            code: 100,
            error_subcode: 33,
          },
        });
      return json(res, 200, {
        messaging_product: 'whatsapp',
        url: `${base}/media/${encodeURIComponent(id)}`,
        mime_type: item.mime,
        sha256: 'x',
        file_size: item.bytes.byteLength,
        id,
      });
    }
    return json(res, 404, {
      error: { message: `no route ${req.method} ${parts.join('/')}`, type: 'OAuthException', code: 100 },
    });
  }

  const server = createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0]!;
    const handled =
      path.startsWith('/bot') || path.startsWith('/file/')
        ? telegram(req, res, path)
        : whatsapp(req, res, path.split('/').filter(Boolean));
    handled.catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, { ok: false, error_code: 500, description: String(error) });
    });
  });
  server.keepAliveTimeout = 60_000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    onReply: (l) => void listeners.push(l),
    onWhatsAppSent: (l) => void sentListeners.push(l),
    addTelegramFile: (fileId, bytes) => void files.set(fileId, bytes),
    addWhatsAppMedia: (mediaId, bytes, mime) => void media.set(mediaId, { bytes, mime }),
    stats: () => ({ telegramCalls, whatsappCalls, replies, other: { ...other } }),
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
