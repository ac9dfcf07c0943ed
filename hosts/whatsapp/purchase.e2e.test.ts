import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sellAndPay, type PayWith, type Seen, type ShopperDriver } from '../checkout/testing/purchase.ts';
import { startShop, type Shop } from '../checkout/testing/shop.ts';
import { limitViolations } from './testing/checkLimits.ts';
import { startFakeGraph, type FakeGraph, type SentMessage } from './testing/fakeGraph.ts';
import { envelope, message, signedRequest, type InboundSpec } from './testing/payloads.ts';

/**
 * A whole purchase in WhatsApp, through the platform's signed webhook and the fake Graph API: the
 * shopper finds a sofa, puts it in the cart, checks out confirming the number they write from
 * (the «📱 +7 …» button), and pays with Stripe, with CloudPayments, or by the Kaspi invoice a
 * manager sends by hand (sellAndPay).
 */
const PHONE_ID = '106540352242933';
const APP_SECRET = 'wa-purchase-secret';

let graph: FakeGraph;
let shop: Shop;

beforeAll(async () => {
  graph = await startFakeGraph();
  shop = await startShop({
    WHATSAPP_TOKEN: graph.token,
    WHATSAPP_PHONE_ID: PHONE_ID,
    WHATSAPP_APP_SECRET: APP_SECRET,
    WHATSAPP_VERIFY_TOKEN: 'wa-purchase-verify',
    WHATSAPP_API_BASE: graph.apiBase,
  });
}, 120_000);

afterAll(async () => {
  const violations = graph.sent.flatMap((m) => limitViolations(m.body));
  await shop?.close();
  await graph?.close();
  expect(violations).toEqual([]);
});

type Body = {
  text?: { body: string };
  image?: { caption?: string };
  interactive?: {
    header?: { text?: string };
    body: { text: string };
    action: {
      sections?: { rows: { id: string; title: string }[] }[];
      buttons?: { reply: { id: string; title: string } }[];
    };
  };
};
const seen = (sent: SentMessage[]): Seen => {
  const bodies = sent.map((m) => m.body as Body);
  return {
    texts: bodies.map((b) => b.text?.body ?? b.interactive?.body.text ?? b.image?.caption ?? ''),
    buttons: bodies.flatMap((b) => [
      ...(b.interactive?.action.buttons ?? []).map(({ reply }) => ({ id: reply.id, label: reply.title })),
      ...(b.interactive?.action.sections ?? []).flatMap((s) => s.rows.map((r) => ({ id: r.id, label: r.title }))),
    ]),
  };
};

/** a WhatsApp user writing from `from`, each message a signed webhook as Meta posts it */
function shopper(from: string): ShopperDriver {
  const labels = new Map<string, string>();
  const send = async (spec: InboundSpec) => {
    const before = graph.sentTo(from).length;
    const signed = signedRequest(
      envelope({ phoneNumberId: PHONE_ID }, { messages: [message(spec, { from, name: 'Айгерим' })] }),
      APP_SECRET,
    );
    const res = await shop.platform.app.request('/webhooks/whatsapp', {
      method: 'POST',
      body: signed.body,
      headers: signed.headers,
    });
    expect(res.status).toBe(200);
    await shop.platform.runtime.idle();
    const now = seen(graph.sentTo(from).slice(before));
    for (const b of now.buttons) labels.set(b.id, b.label);
    return now;
  };
  // a tap answers with the title of the button or row it was
  const tap = (id: string) => send({ type: 'button_reply', id, title: labels.get(id) ?? id });
  return {
    say: (text) => send({ type: 'text', body: text }),
    tap,
    async givePhone(asked) {
      // WhatsApp has no «share my number»: the question offers the number the shopper writes from
      const pretty = `📱 +7 ${from.slice(1, 4)} ${from.slice(4, 7)} ${from.slice(7, 9)} ${from.slice(9)}`;
      expect(asked.buttons).toContainEqual({ id: 'contact', label: pretty });
      return tap('contact');
    },
    received: async () => seen(graph.sentTo(from)).texts,
  };
}

describe('a purchase in WhatsApp', () => {
  it.each<[PayWith, string]>([
    ['stripe', '77019991001'],
    ['cloudpayments', '77019991002'],
    ['kaspi', '77019991003'],
  ])('%s: search → cart → checkout → the order in the API → paid → the shopper is told', async (pay, from) => {
    await sellAndPay(shop, shopper(from), pay, { name: 'Айгерим', phone: `+${from}` });
  });
});
