import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A fake OpenAI-compatible server on 127.0.0.1 that speaks the real wire protocol of
 * `POST /v1/chat/completions` and `POST /v1/audio/transcriptions`, so tests (and the benchmark)
 * drive the real `openai` SDK against it. Responses are scripted per endpoint as a queue; when a
 * queue is empty the endpoint's default responder answers (a 500 unless one is set).
 */

export type FakeEndpoint = 'chat' | 'transcriptions';

export type FakeReply =
  | { kind: 'json'; status: number; body: unknown; headers?: Record<string, string> }
  /** a raw body, e.g. a truncated JSON document */
  | { kind: 'raw'; status: number; body: string; headers?: Record<string, string> }
  /** accept the request and never answer (the client's timeout must fire) */
  | { kind: 'hang' };

export type RecordedRequest = {
  endpoint: FakeEndpoint;
  path: string;
  headers: Record<string, string | string[] | undefined>;
  /** parsed JSON for chat, `null` for multipart */
  json: unknown;
  /** multipart fields for transcriptions: strings, and files as bytes */
  form: Map<string, string | { filename: string; type: string; bytes: Uint8Array }> | null;
};

export type FakeOpenAI = {
  /** pass to the SDK as `baseURL` */
  baseURL: string;
  requests: RecordedRequest[];
  enqueue(endpoint: FakeEndpoint, ...replies: FakeReply[]): void;
  /** answers when the queue for the endpoint is empty */
  setDefault(endpoint: FakeEndpoint, responder: (req: RecordedRequest) => FakeReply): void;
  /** how many scripted replies are still waiting */
  pending(endpoint: FakeEndpoint): number;
  close(): Promise<void>;
};

let completionSeq = 0;

/** 200 with one tool call; `args` may be an object (serialised) or a raw string (e.g. bad JSON). */
export function toolCallReply(
  name: string,
  args: unknown,
  usage = { prompt_tokens: 120, completion_tokens: 18 },
  text: string | null = null,
): FakeReply {
  completionSeq += 1;
  return chatBody(
    {
      role: 'assistant',
      content: text,
      tool_calls: [
        {
          id: `call_${completionSeq}`,
          type: 'function',
          function: { name, arguments: typeof args === 'string' ? args : JSON.stringify(args) },
        },
      ],
    },
    'tool_calls',
    usage,
  );
}

/** 200 with a plain assistant message and no tool call. */
export function textReply(text: string, usage = { prompt_tokens: 100, completion_tokens: 30 }): FakeReply {
  return chatBody({ role: 'assistant', content: text }, 'stop', usage);
}

/** 200 whose message content is the given JSON (structured output, as vision uses). */
export function jsonContentReply(value: unknown, usage = { prompt_tokens: 900, completion_tokens: 40 }): FakeReply {
  return textReply(typeof value === 'string' ? value : JSON.stringify(value), usage);
}

export function errorReply(
  status: number,
  opts: { retryAfterSec?: number; retryAfterMs?: number; message?: string } = {},
): FakeReply {
  const headers: Record<string, string> = {};
  if (opts.retryAfterSec !== undefined) headers['retry-after'] = String(opts.retryAfterSec);
  if (opts.retryAfterMs !== undefined) headers['retry-after-ms'] = String(opts.retryAfterMs);
  const type = status === 429 ? 'rate_limit_exceeded' : status >= 500 ? 'server_error' : 'invalid_request_error';
  return {
    kind: 'json',
    status,
    headers,
    body: { error: { message: opts.message ?? `fake ${status}`, type, param: null, code: null } },
  };
}

export function hangReply(): FakeReply {
  return { kind: 'hang' };
}

export function transcriptionReply(text: string): FakeReply {
  return { kind: 'json', status: 200, body: { text } };
}

function chatBody(
  message: Record<string, unknown>,
  finishReason: string,
  usage: { prompt_tokens: number; completion_tokens: number },
): FakeReply {
  return {
    kind: 'json',
    status: 200,
    body: {
      id: `chatcmpl-fake${completionSeq}`,
      object: 'chat.completion',
      created: 1_700_000_000,
      model: 'gpt-4o-mini-fake',
      choices: [{ index: 0, message: { refusal: null, ...message }, logprobs: null, finish_reason: finishReason }],
      usage: { ...usage, total_tokens: usage.prompt_tokens + usage.completion_tokens },
    },
  };
}

export async function startFakeOpenAI(): Promise<FakeOpenAI> {
  const queues: Record<FakeEndpoint, FakeReply[]> = { chat: [], transcriptions: [] };
  const defaults: Record<FakeEndpoint, (req: RecordedRequest) => FakeReply> = {
    chat: () => errorReply(500, { message: 'fake: no scripted chat reply' }),
    transcriptions: () => errorReply(500, { message: 'fake: no scripted transcription reply' }),
  };
  const requests: RecordedRequest[] = [];

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: `fake server error: ${String(err)}`, type: 'server_error' } }));
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const endpoint: FakeEndpoint | null =
      req.method === 'POST' && path.endsWith('/chat/completions')
        ? 'chat'
        : req.method === 'POST' && path.endsWith('/audio/transcriptions')
          ? 'transcriptions'
          : null;
    const body = await readBody(req);
    if (!endpoint) {
      send(res, errorReply(404, { message: `fake: no route ${req.method} ${path}` }));
      return;
    }
    const contentType = String(req.headers['content-type'] ?? '');
    const recorded: RecordedRequest = {
      endpoint,
      path,
      headers: req.headers,
      json: contentType.includes('application/json') ? JSON.parse(body.toString('utf8')) : null,
      form: contentType.includes('multipart/form-data') ? await parseMultipart(body, contentType) : null,
    };
    requests.push(recorded);
    // the real API refuses malformed requests before anything else; so does the fake
    const invalid = invalidRequest(recorded);
    const reply = invalid
      ? errorReply(400, { message: invalid })
      : (queues[endpoint].shift() ?? defaults[endpoint](recorded));
    send(res, reply);
  }

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseURL: `http://127.0.0.1:${port}/v1`,
    requests,
    enqueue: (endpoint, ...replies) => {
      queues[endpoint].push(...replies);
    },
    setDefault: (endpoint, responder) => {
      defaults[endpoint] = responder;
    },
    pending: (endpoint) => queues[endpoint].length,
    close: () =>
      new Promise<void>((resolve) => {
        // hung requests keep sockets open; drop them so close() resolves
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function invalidRequest(req: RecordedRequest): string | null {
  if (!String(req.headers.authorization ?? '').startsWith('Bearer ')) return 'fake: missing bearer token';
  if (req.endpoint === 'chat') {
    const body = req.json as { model?: unknown; messages?: unknown } | null;
    if (!body || typeof body.model !== 'string') return 'fake: "model" is required';
    if (!Array.isArray(body.messages) || body.messages.length === 0)
      return 'fake: "messages" must be a non-empty array';
    return null;
  }
  if (!req.form) return 'fake: expected multipart/form-data';
  if (typeof req.form.get('model') !== 'string') return 'fake: "model" is required';
  if (typeof req.form.get('file') !== 'object') return 'fake: "file" is required';
  return null;
}

function send(res: ServerResponse, reply: FakeReply): void {
  if (reply.kind === 'hang') return;
  const payload = reply.kind === 'json' ? JSON.stringify(reply.body) : reply.body;
  res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
  res.end(payload);
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The platform's own multipart parser (undici), so the wire format is checked for real. */
async function parseMultipart(body: Buffer, contentType: string): Promise<RecordedRequest['form']> {
  const form = await new Response(new Uint8Array(body), { headers: { 'content-type': contentType } }).formData();
  const out: NonNullable<RecordedRequest['form']> = new Map();
  for (const [key, value] of form.entries()) {
    if (typeof value === 'string') out.set(key, value);
    else out.set(key, { filename: value.name, type: value.type, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  return out;
}
