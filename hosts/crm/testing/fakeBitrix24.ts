import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A Bitrix24 portal's REST API on 127.0.0.1 for tests, reached through an incoming webhook
 * (`/rest/<user>/<code>/<method>.json`, JSON bodies). It answers as Bitrix24 does — `{result, time}`
 * or `{error, error_description}` with its HTTP statuses — and keeps contacts, deals (with product
 * rows), leads and currencies. `mode` switches the portal down (connections cut), to
 * QUERY_LIMIT_EXCEEDED (503), 429 (OPERATION_TIME_LIMIT) or OVERLOAD_LIMIT (503).
 */
export type FakeMode = 'up' | 'down' | 'query_limit' | 'too_many' | 'overload';

type Deal = Record<string, unknown> & { ID: string; rows: Array<Record<string, unknown>> };

export type FakeBitrix24 = {
  webhookUrl: string;
  mode: FakeMode;
  currencies: string[];
  contacts: Array<Record<string, unknown> & { ID: string }>;
  deals: Deal[];
  leads: Array<Record<string, unknown> & { ID: string }>;
  /** every method called, in order, including refused calls */
  calls: string[];
  /** stage ids crm.deal.add and crm.deal.update accept (others are refused as invalid fields) */
  stages: Set<string>;
  close(): Promise<void>;
};

const USER = '1';
const CODE = 'fakewebhook0123';

export async function startFakeBitrix24(): Promise<FakeBitrix24> {
  let nextId = 100;
  const id = () => String(++nextId);
  const fake: Omit<FakeBitrix24, 'webhookUrl' | 'close'> = {
    mode: 'up',
    currencies: ['RUB', 'USD', 'KZT'],
    contacts: [],
    deals: [],
    leads: [],
    calls: [],
    stages: new Set([
      'NEW',
      'PREPARATION',
      'PREPAYMENT_INVOICE',
      'EXECUTING',
      'FINAL_INVOICE',
      'WON',
      'LOSE',
      'APOLOGY',
    ]),
  };
  const invalid = (description: string) => ({ status: 400, body: { error: '', error_description: description } });
  const ok = (result: unknown) => ({
    status: 200,
    body: { result, time: { start: Date.now() / 1000, duration: 0.01 } },
  });
  const byOrigin = <T extends Record<string, unknown>>(list: T[], params: Record<string, unknown>) => {
    const filter = (params.filter ?? {}) as Record<string, unknown>;
    return list.filter((item) => filter.ORIGIN_ID === undefined || item.ORIGIN_ID === String(filter.ORIGIN_ID));
  };
  const methods: Record<string, (p: Record<string, any>) => { status: number; body: unknown }> = {
    'crm.currency.list': () => ok(fake.currencies.map((c, i) => ({ CURRENCY: c, BASE: i === 0 ? 'Y' : 'N' }))),
    'crm.duplicate.findbycomm': (p) => {
      if (p.type !== 'PHONE' || !Array.isArray(p.values)) return invalid('Parameter type or values is invalid');
      const ids = fake.contacts
        .filter((c) => (c.PHONE as Array<{ VALUE: string }>).some((ph) => p.values.includes(ph.VALUE)))
        .map((c) => Number(c.ID));
      return ok(ids.length ? { CONTACT: ids } : []);
    },
    'crm.contact.add': (p) => {
      if (!p.fields?.NAME) return invalid('Поле "Имя" обязательно для заполнения.');
      const contact = { ...p.fields, ID: id() };
      fake.contacts.push(contact);
      return ok(Number(contact.ID));
    },
    'crm.deal.list': (p) =>
      ok(byOrigin(fake.deals, p).map((d) => ({ ID: d.ID, STAGE_ID: d.STAGE_ID, ORIGIN_ID: d.ORIGIN_ID }))),
    'crm.deal.add': (p) => {
      const f = p.fields ?? {};
      if (f.STAGE_ID && !fake.stages.has(f.STAGE_ID)) return invalid(`Stage "${f.STAGE_ID}" not found`);
      if (f.CURRENCY_ID && !fake.currencies.includes(f.CURRENCY_ID)) return invalid('Currency not found');
      const deal: Deal = { ...f, ORIGIN_ID: String(f.ORIGIN_ID ?? ''), ID: id(), rows: [] };
      fake.deals.push(deal);
      return ok(Number(deal.ID));
    },
    'crm.deal.update': (p) => {
      const deal = fake.deals.find((d) => d.ID === String(p.id));
      if (!deal) return invalid('Not found');
      if (p.fields?.STAGE_ID && !fake.stages.has(p.fields.STAGE_ID))
        return invalid(`Stage "${p.fields.STAGE_ID}" not found`);
      Object.assign(deal, p.fields ?? {});
      return ok(true);
    },
    'crm.deal.productrows.set': (p) => {
      const deal = fake.deals.find((d) => d.ID === String(p.id));
      if (!deal) return invalid('Not found');
      deal.rows = p.rows ?? [];
      return ok(true);
    },
    'crm.lead.list': (p) => ok(byOrigin(fake.leads, p).map((l) => ({ ID: l.ID }))),
    'crm.lead.add': (p) => {
      const lead = { ...p.fields, ORIGIN_ID: String(p.fields?.ORIGIN_ID ?? ''), ID: id() };
      fake.leads.push(lead);
      return ok(Number(lead.ID));
    },
  };

  const server = createServer(async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/rest\/(\d+)\/([^/]+)\/([a-z.]+)\.json$/.exec(req.url ?? '');
    const method = match?.[3] ?? '';
    fake.calls.push(method);
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify(body));
    };
    if (fake.mode === 'down') return void res.socket?.destroy();
    if (fake.mode === 'query_limit')
      return send(503, { error: 'QUERY_LIMIT_EXCEEDED', error_description: 'Too many requests' });
    if (fake.mode === 'too_many')
      return send(429, {
        error: 'OPERATION_TIME_LIMIT',
        error_description: 'Method is blocked due to operation time limit.',
      });
    if (fake.mode === 'overload')
      return send(503, { error: 'OVERLOAD_LIMIT', error_description: 'REST API is blocked due to overload.' });
    if (!match || match[1] !== USER || match[2] !== CODE)
      return send(401, { error: 'INVALID_CREDENTIALS', error_description: 'Invalid request credentials' });
    const handler = methods[method];
    if (!handler) return send(404, { error: 'ERROR_METHOD_NOT_FOUND', error_description: 'Method not found!' });
    let params: Record<string, unknown>;
    try {
      params = chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
    } catch {
      return send(400, { error: 'INVALID_REQUEST', error_description: 'Invalid JSON' });
    }
    const { status, body } = handler(params);
    send(status, body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return Object.assign(fake, {
    webhookUrl: `http://127.0.0.1:${port}/rest/${USER}/${CODE}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  }) as FakeBitrix24;
}
