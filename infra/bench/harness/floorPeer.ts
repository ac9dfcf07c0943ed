import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Agent, request } from 'undici';
import { LatencyRecorder } from './latency.ts';

/*
 * The floor benchmark's other side (`npm run bench -- floor`, infra/bench/floor.ts), a forked
 * process: posts the webhooks open-loop, hosts the fake platform API and posts WhatsApp-like status
 * webhooks back.
 */

export const APP_SECRET = 'floor-secret';

/** one message's webhook; `wa` ones are signed, as WhatsApp's are */
export type Hook = { n: number; wa: boolean; sends: number; search: boolean; profile: boolean };

export const readBody = (req: IncomingMessage) =>
  new Promise<string>((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

export const sign = (body: string) => `sha256=${createHmac('sha256', APP_SECRET).update(body).digest('hex')}`;

/** a Telegram sendMessage with a product card's keyboard: the size of the platform's replies */
export function replyBody(chat: number, n: number): string {
  const keyboard = Array.from({ length: 5 }, (_, i) => [
    { text: `Диван «Модель ${i}» — 149 990 ₸`, callback_data: `p:SOFA-${100 + i}` },
  ]);
  return JSON.stringify({
    chat_id: chat,
    text:
      `Нашла 12 вариантов по запросу «красный диван до 150000» (${n}):\n` +
      'Диван угловой, велюр, красный — 149 990 ₸\n'.repeat(5),
    reply_markup: { inline_keyboard: keyboard },
  });
}

/** The other side: posts webhooks open-loop, hosts the fake platform API, posts status webhooks back. */
async function runPeer(): Promise<void> {
  const target = process.env.FLOOR_SERVER!;
  const hooks = new Agent({ connections: 128, keepAliveTimeout: 30_000 });
  const pending = new Map<number, { at: number; sends: number }>();
  let latency = new LatencyRecorder();
  let answered = 0;
  let lastAnsweredAt = 0;
  const post = (body: string, signed: boolean) =>
    request(`${target}/hook`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signed ? { 'x-hub-signature-256': sign(body) } : {}) },
      body,
      dispatcher: hooks,
    }).then((r) => r.body.dump());
  let statusCredit = 0;
  const api = createServer((req, res) => {
    void readBody(req).then((body) => {
      const { text } = JSON.parse(body) as { text: string };
      const n = Number(/\((\d+)\)/.exec(text)?.[1]);
      res.writeHead(200, { 'content-type': 'application/json' }).end(
        JSON.stringify({
          ok: true,
          result: { message_id: n, date: 0, chat: { id: 1, type: 'private' }, text: 'ok' },
        }),
      );
      const entry = pending.get(n);
      if (entry && --entry.sends === 0) {
        pending.delete(n);
        lastAnsweredAt = performance.now();
        latency.record(lastAnsweredAt - entry.at);
        answered++;
      }
      // WhatsApp's status webhooks: ~0.6 per message in the load benchmark's mix
      statusCredit += 0.6 / 1.3;
      while (statusCredit >= 1) {
        statusCredit -= 1;
        void post(
          JSON.stringify({
            status: 'delivered',
            id: `wamid.${n}`,
            recipient_id: '77000000000',
            timestamp: String(Date.now()),
          }),
          true,
        );
      }
    });
  });
  await new Promise<void>((resolve) => api.listen(0, '127.0.0.1', resolve));
  process.send!({ api: `http://127.0.0.1:${(api.address() as AddressInfo).port}` });
  let n = 0;
  const text = 'хочу красный диван до 150000';
  process.on('message', async ({ rate, seconds }: { rate: number; seconds: number }) => {
    latency = new LatencyRecorder();
    answered = 0;
    lastAnsweredAt = 0;
    const cpu = process.cpuUsage();
    const total = rate * seconds;
    const started = performance.now();
    let sent = 0;
    while (sent < total) {
      const due = Math.min(total, Math.floor(((performance.now() - started) / 1000) * rate));
      for (; sent < due; sent++) {
        n++;
        const wa = n % 10 < 3;
        const hook: Hook = { n, wa, sends: n % 10 < 3 ? 2 : 1, search: n % 10 < 6, profile: n % 10 >= 6 };
        pending.set(n, { at: started + (sent / rate) * 1000, sends: hook.sends });
        const chat = 500_000_000 + (n % 5000);
        const update = {
          update_id: n,
          message: {
            message_id: n,
            date: Math.floor(Date.now() / 1000),
            chat: { id: chat, type: 'private', first_name: 'Покупатель' },
            from: { id: chat, is_bot: false, first_name: 'Покупатель', language_code: 'ru' },
            text,
          },
        };
        void post(JSON.stringify({ hook, chat, update }), wa);
      }
      await new Promise((resolve) => setTimeout(resolve, 1));
    }
    const deadline = performance.now() + 10_000;
    while (answered < total && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    const used = process.cpuUsage(cpu);
    // as the load benchmark counts: messages answered per second from the first arrival to the last answer
    const lastArrival = started + ((total - 1) / rate) * 1000;
    const answeredRate = answered / ((Math.max(lastAnsweredAt, lastArrival) - started) / 1000);
    process.send!({
      sent,
      answered,
      answeredRate,
      latency: latency.serialize(),
      peerCpuMs: (used.user + used.system) / 1000,
    });
  });
}

// only in the forked peer (the server passes its address); importing the helpers runs nothing
if (process.env.FLOOR_SERVER && process.send) await runPeer();
