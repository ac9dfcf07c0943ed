import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake WhatsApp Cloud API (Graph) on 127.0.0.1 speaking the real wire protocol, so tests and
 * the benchmark drive our real Graph client against it:
 *  - `POST /{version}/{phone-number-id}/messages` records the body and answers with a wamid;
 *  - `GET /{version}/{media-id}` answers `{url, mime_type, sha256, file_size, id}`;
 *  - `GET /media/{media-id}` (the download URL) returns the bytes.
 * Every route checks the bearer token. Errors are scripted in Meta's error shape
 * `{error:{message,type,code,error_subcode,fbtrace_id}}`.
 */

export type SentMessage = {
  phoneNumberId: string;
  version: string;
  to: string;
  type: string;
  /** the full JSON body as sent */
  body: Record<string, unknown>;
  wamid: string;
};

export type ScriptedError = { status: number; code: number; subcode?: number; message?: string; type?: string };

export type FakeMedia = {
  bytes: Uint8Array;
  mime: string /** the media id has expired (404 on GET /{media-id}) */;
  expired?: boolean /** the download URL fails with this status */;
  downloadStatus?: number /** the size `GET /{media-id}` reports, when not the bytes' own */;
  fileSize?: number;
};

export type FakeGraph = {
  /** WHATSAPP_API_BASE for the client */
  apiBase: string;
  token: string;
  sent: SentMessage[];
  /** read receipts / typing indicators: `{phoneNumberId, messageId, typing}` */
  reads: { phoneNumberId: string; messageId: string; typing: boolean }[];
  /** every request line seen, for assertions about back-off and bearer use */
  requests: { method: string; path: string; authorized: boolean }[];
  /** queue errors for the next message sends (to any phone number, or one recipient) */
  failSend(error: ScriptedError, opts?: { to?: string; times?: number }): void;
  /** answers 131047 to every non-template send to this recipient (their 24-hour window is closed) */
  closeWindow(to: string): void;
  openWindow(to: string): void;
  addMedia(id: string, media: FakeMedia): void;
  /** resolves when at least `count` messages were sent */
  waitForSent(count: number): Promise<SentMessage[]>;
  sentTo(to: string): SentMessage[];
  reset(): void;
  close(): Promise<void>;
};

export const GRAPH_ERRORS = {
  reEngagement: { status: 400, code: 131047, message: 'Re-engagement message', type: 'OAuthException' },
  throughput: { status: 400, code: 130429, message: 'Rate limit hit', type: 'OAuthException' },
  pairRateLimit: {
    status: 400,
    code: 131056,
    message: '(Business Account, Consumer Account) pair rate limit hit',
    type: 'OAuthException',
  },
  server: { status: 500, code: 131000, message: 'Something went wrong', type: 'OAuthException' },
  auth: { status: 401, code: 190, message: 'Invalid OAuth access token', type: 'OAuthException' },
  /** the number is not on WhatsApp or cannot receive this message (a permanent refusal) */
  undeliverable: { status: 400, code: 131026, message: 'Message Undeliverable.', type: 'OAuthException' },
} satisfies Record<string, ScriptedError>;

let traceSeq = 0;

export function graphErrorBody(e: ScriptedError) {
  traceSeq += 1;
  return {
    error: {
      message: e.message ?? `(#${e.code}) fake error`,
      type: e.type ?? 'OAuthException',
      code: e.code,
      ...(e.subcode === undefined ? {} : { error_subcode: e.subcode }),
      error_data: { messaging_product: 'whatsapp', details: e.message ?? 'fake error' },
      fbtrace_id: `AbCdEf${traceSeq}`,
    },
  };
}

export async function startFakeGraph(opts: { token?: string } = {}): Promise<FakeGraph> {
  const token = opts.token ?? 'test-graph-token';
  const sent: SentMessage[] = [];
  const requests: FakeGraph['requests'] = [];
  const reads: FakeGraph['reads'] = [];
  const failures: { error: ScriptedError; to?: string; times: number }[] = [];
  const closed = new Set<string>();
  const media = new Map<string, FakeMedia>();
  const waiters: { count: number; resolve: (s: SentMessage[]) => void }[] = [];
  let seq = 0;
  let base = '';

  const json = (res: ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
    res.end(text);
  };

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve, reject) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
      req.on('error', reject);
    });

  const notify = () => {
    for (const w of [...waiters]) {
      if (sent.length >= w.count) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(sent.slice());
      }
    }
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url ?? '/', 'http://127.0.0.1');
      const authorized = req.headers.authorization === `Bearer ${token}`;
      requests.push({ method: req.method ?? 'GET', path: url.pathname, authorized });
      const parts = url.pathname.split('/').filter(Boolean);
      if (!authorized) {
        const raw = await readBody(req);
        void raw;
        return json(res, 401, graphErrorBody(GRAPH_ERRORS.auth));
      }

      // the download URL
      if (req.method === 'GET' && parts[0] === 'media' && parts.length === 2) {
        const item = media.get(decodeURIComponent(parts[1]!));
        if (!item || item.expired)
          return json(res, 404, graphErrorBody({ status: 404, code: 100, message: 'media not found' }));
        if (item.downloadStatus) {
          res.writeHead(item.downloadStatus, { 'content-type': 'text/plain' });
          return res.end('download failed');
        }
        res.writeHead(200, { 'content-type': item.mime, 'content-length': item.bytes.byteLength });
        return res.end(Buffer.from(item.bytes));
      }

      const [version, id, edge] = parts;
      if (req.method === 'POST' && version && id && edge === 'messages' && parts.length === 3) {
        const raw = await readBody(req);
        let body: Record<string, unknown>;
        try {
          body = JSON.parse(raw) as Record<string, unknown>;
        } catch {
          return json(res, 400, graphErrorBody({ status: 400, code: 100, message: 'Invalid JSON' }));
        }
        if (body.status === 'read') {
          if (body.messaging_product !== 'whatsapp' || typeof body.message_id !== 'string') {
            return json(res, 400, graphErrorBody({ status: 400, code: 100, message: '(#100) Invalid parameter' }));
          }
          reads.push({ phoneNumberId: id, messageId: body.message_id, typing: Boolean(body.typing_indicator) });
          return json(res, 200, { success: true });
        }
        const to = String(body.to ?? '');
        const type = String(body.type ?? 'text');
        if (body.messaging_product !== 'whatsapp' || !to) {
          return json(res, 400, graphErrorBody({ status: 400, code: 100, message: '(#100) Invalid parameter' }));
        }
        const scripted = failures.findIndex((f) => f.to === undefined || f.to === to);
        if (scripted >= 0) {
          const f = failures[scripted]!;
          f.times -= 1;
          if (f.times <= 0) failures.splice(scripted, 1);
          return json(res, f.error.status, graphErrorBody(f.error));
        }
        if (closed.has(to) && type !== 'template') return json(res, 400, graphErrorBody(GRAPH_ERRORS.reEngagement));
        seq += 1;
        const wamid = `wamid.HBgLFAKE${String(seq).padStart(8, '0')}`;
        sent.push({ phoneNumberId: id, version, to, type, body, wamid });
        notify();
        return json(res, 200, {
          messaging_product: 'whatsapp',
          contacts: [{ input: to, wa_id: to }],
          messages: [type === 'template' ? { id: wamid, message_status: 'accepted' } : { id: wamid }],
        });
      }

      if (req.method === 'GET' && version && id && parts.length === 2) {
        const item = media.get(decodeURIComponent(id));
        if (!item || item.expired) {
          return json(
            res,
            400,
            graphErrorBody({
              status: 400,
              code: 100,
              subcode: 33,
              message: `Unsupported get request. Object with ID '${id}' does not exist`,
            }),
          );
        }
        return json(res, 200, {
          messaging_product: 'whatsapp',
          url: `${base}/media/${encodeURIComponent(id)}`,
          mime_type: item.mime,
          sha256: 'fake-sha256',
          file_size: item.fileSize ?? item.bytes.byteLength,
          id,
        });
      }
      return json(
        res,
        404,
        graphErrorBody({ status: 404, code: 100, message: `no route ${req.method} ${url.pathname}` }),
      );
    } catch (error) {
      json(res, 500, graphErrorBody({ status: 500, code: 1, message: String(error) }));
    }
  });
  server.keepAliveTimeout = 60_000;

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  base = `http://127.0.0.1:${port}`;

  return {
    apiBase: base,
    token,
    sent,
    reads,
    requests,
    failSend(error, o = {}) {
      failures.push({ error, ...(o.to === undefined ? {} : { to: o.to }), times: o.times ?? 1 });
    },
    closeWindow: (to) => void closed.add(to),
    openWindow: (to) => void closed.delete(to),
    addMedia: (id, m) => void media.set(id, m),
    waitForSent(count) {
      if (sent.length >= count) return Promise.resolve(sent.slice());
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    sentTo: (to) => sent.filter((m) => m.to === to),
    reset() {
      sent.length = 0;
      reads.length = 0;
      requests.length = 0;
      failures.length = 0;
      closed.clear();
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
