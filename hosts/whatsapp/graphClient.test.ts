import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { GraphClient } from './graphClient.ts';
import {
  GraphAuthError,
  GraphMediaError,
  GraphRateLimitError,
  GraphReEngagementError,
  GraphServerError,
} from './graphErrors.ts';
import type { SendBody } from './messages.ts';
import { GRAPH_ERRORS, startFakeGraph, type FakeGraph } from './testing/fakeGraph.ts';

let graph: FakeGraph;
let client: GraphClient;
const sleeps: number[] = [];

beforeAll(async () => {
  graph = await startFakeGraph();
  client = new GraphClient({
    token: graph.token,
    apiBase: graph.apiBase,
    backoffMs: 1,
    maxRetries: 3,
    maxMediaBytes: 1000,
    sleep: async (ms) => void sleeps.push(ms),
  });
});
afterAll(async () => {
  await client.close();
  await graph.close();
});
beforeEach(() => {
  graph.reset();
  sleeps.length = 0;
});

const text = (to: string, body: string): SendBody => ({
  messaging_product: 'whatsapp',
  recipient_type: 'individual',
  to,
  type: 'text',
  text: { body },
});

describe('GraphClient against the fake Graph API', () => {
  it('sends a message with the bearer token and returns the wamid', async () => {
    const result = await client.sendMessage('1001', text('77011112233', 'Привет'));
    expect(result.wamid).toMatch(/^wamid\./);
    expect(result.waId).toBe('77011112233');
    expect(graph.sent[0]).toMatchObject({ phoneNumberId: '1001', version: 'v21.0', to: '77011112233', type: 'text' });
    expect(graph.requests.every((r) => r.authorized)).toBe(true);
  });

  it('backs off and retries on 130429 and 131056, then succeeds', async () => {
    graph.failSend(GRAPH_ERRORS.throughput);
    graph.failSend(GRAPH_ERRORS.pairRateLimit);
    await client.sendMessage('1001', text('77011112233', 'a'));
    expect(sleeps).toEqual([1, 2]);
    expect(graph.sent).toHaveLength(1);
  });

  it('gives up after maxRetries with a GraphRateLimitError carrying code and fbtrace_id', async () => {
    graph.failSend(GRAPH_ERRORS.throughput, { times: 10 });
    const error = await client.sendMessage('1001', text('7', 'a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphRateLimitError);
    expect((error as GraphRateLimitError).code).toBe(130429);
    expect((error as GraphRateLimitError).fbtraceId).toMatch(/^AbCdEf/);
    expect(sleeps).toHaveLength(3);
  });

  it('classifies 131047, 5xx and auth errors', async () => {
    graph.failSend(GRAPH_ERRORS.reEngagement);
    await expect(client.sendMessage('1001', text('7', 'a'))).rejects.toBeInstanceOf(GraphReEngagementError);
    graph.failSend(GRAPH_ERRORS.server, { times: 10 });
    await expect(client.sendMessage('1001', text('7', 'a'))).rejects.toBeInstanceOf(GraphServerError);
    const bad = new GraphClient({ token: 'wrong', apiBase: graph.apiBase, maxRetries: 0 });
    await expect(bad.sendMessage('1001', text('7', 'a'))).rejects.toBeInstanceOf(GraphAuthError);
    await bad.close();
  });

  it('downloads media in two steps with the bearer token', async () => {
    graph.addMedia('MEDIA1', { bytes: new Uint8Array([1, 2, 3]), mime: 'image/jpeg' });
    const media = await client.fetchMedia('MEDIA1');
    expect([...media.bytes]).toEqual([1, 2, 3]);
    expect(media.mime).toBe('image/jpeg');
    expect(graph.requests.map((r) => `${r.method} ${r.path}`)).toEqual(['GET /v21.0/MEDIA1', 'GET /media/MEDIA1']);
    expect(graph.requests.every((r) => r.authorized)).toBe(true);
  });

  it('reports expired media, failed downloads and oversized media as GraphMediaError', async () => {
    graph.addMedia('OLD', { bytes: new Uint8Array([1]), mime: 'image/jpeg', expired: true });
    await expect(client.fetchMedia('OLD')).rejects.toBeInstanceOf(GraphMediaError);
    graph.addMedia('BROKEN', { bytes: new Uint8Array([1]), mime: 'image/jpeg', downloadStatus: 500 });
    await expect(client.fetchMedia('BROKEN')).rejects.toBeInstanceOf(GraphMediaError);
    graph.addMedia('HUGE', { bytes: new Uint8Array(5000), mime: 'image/jpeg' });
    await expect(client.fetchMedia('HUGE')).rejects.toThrow(/limit/);
  });

  it('turns a refused connection into a retryable server error', async () => {
    const down = new GraphClient({ token: 't', apiBase: 'http://127.0.0.1:9', maxRetries: 0 });
    await expect(down.sendMessage('1', text('7', 'a'))).rejects.toBeInstanceOf(GraphServerError);
    await down.close();
  });
});
