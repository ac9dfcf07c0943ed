import type { Effect } from '../../../engine/effects.ts';
import type { ResultEvent } from '../../../engine/events.ts';
import type { Product } from '../../../engine/catalog.ts';
import type { MemoryHost } from '../../../engine/testing/memoryHost.ts';
import { RECORDABLE, recordedResult, type RecordedQueue } from '../../../engine/transcript/recorded.ts';
import type { Media, RuntimePorts } from '../../runtime/ports.ts';

/**
 * The runtime's world ports (catalog, brain, OCR, vision, transcription, escalations, alerts,
 * recommendations, the checkout) answered by the engine's in-memory fixture host, with a transcript's recorded
 * results taken first — the same world the pure-engine replay sees, so a WhatsApp replay differs
 * from it only where the WhatsApp host does. Media arrive through the real Graph download; the
 * media id is the fixture file name.
 */
export type WorldPortsOptions = {
  host: MemoryHost;
  now: () => string;
  recorded?: () => RecordedQueue | undefined;
};

export type WorldPorts = Pick<
  RuntimePorts,
  'catalog' | 'brain' | 'ocr' | 'vision' | 'transcriber' | 'escalations' | 'alerts' | 'profiles' | 'checkout'
>;

/** `tag-sofa-001.png` back from the downloaded file name `tag-sofa-001.png.png` */
export const mediaRef = (media: Media): string => media.filename.replace(/\.[^.]+$/, '');

export function worldPorts(o: WorldPortsOptions): WorldPorts {
  const { host } = o;
  const findSku = (sku: string) => host.findSku(sku) as Product | null;

  async function run(effect: Effect): Promise<ResultEvent | null> {
    const at = o.now();
    const recorded = RECORDABLE.includes(effect.type) ? o.recorded?.()?.take(effect.type) : undefined;
    const result = recorded ? recordedResult(effect, recorded, at, findSku) : await host.execute(effect, at);
    if (typeof result === 'string') throw new Error(result);
    if (result?.type === 'effect.failed') throw new Error(result.reason);
    return result;
  }
  async function expect<T extends ResultEvent['type']>(
    effect: Effect,
    type: T,
  ): Promise<Extract<ResultEvent, { type: T }>> {
    const result = await run(effect);
    if (!result || result.type !== type)
      throw new Error(`${effect.type}: expected ${type}, got ${result?.type ?? 'nothing'}`);
    return result as Extract<ResultEvent, { type: T }>;
  }

  return {
    catalog: {
      search: async (_city, criteria, page, pageSize) => {
        const r = await expect({ type: 'search', criteria, page, pageSize }, 'search.done');
        return { items: r.items, total: r.total, ...(r.relaxed ? { relaxed: r.relaxed } : {}) };
      },
      bySku: async (_city, sku) => (await expect({ type: 'lookupSku', sku }, 'lookupSku.done')).product,
    },
    brain: {
      understand: async (input) =>
        (
          await expect(
            {
              type: 'understand',
              text: input.text,
              lang: input.lang,
              history: input.history,
              ...(input.criteria ? { criteria: input.criteria } : {}),
              ...(input.focusSku ? { focusSku: input.focusSku } : {}),
            },
            'understand.done',
          )
        ).understanding,
    },
    ocr: { read: async (media) => (await expect({ type: 'readImage', ref: mediaRef(media) }, 'readImage.done')).text },
    vision: {
      describe: async (media) =>
        (await expect({ type: 'describeImage', ref: mediaRef(media) }, 'describeImage.done')).description,
    },
    transcriber: {
      transcribe: async (media, lang) =>
        (await expect({ type: 'transcribe', ref: mediaRef(media), lang }, 'transcribe.done')).text,
    },
    escalations: {
      open: async (req) =>
        (
          await expect(
            { type: 'escalate', reason: req.reason, trigger: req.trigger, history: req.history },
            'escalate.done',
          )
        ).escalationId,
      shopperWrote: async (escalationId, text) => void (await run({ type: 'forwardToManager', escalationId, text })),
      close: async (escalationId, why) => void (await run({ type: 'closeEscalation', escalationId, why })),
      managersAway: async (_city, at) => host.managersAway(at.toISOString()),
    },
    alerts: {
      create: async (_address, _key, target) =>
        (await expect({ type: 'createAlert', target }, 'createAlert.done')).alertId,
      cancel: async (_key, sku) =>
        void (await run(sku === undefined ? { type: 'cancelAlert' } : { type: 'cancelAlert', sku })),
    },
    // the fixture host's shop: its orders are numbered per replay, placed once per placement it is asked for
    checkout: {
      prepare: async (_request, lines) => {
        const { type: _t, at: _a, ...ready } = await expect({ type: 'prepareCheckout', lines }, 'checkout.ready');
        return ready;
      },
      place: async (_request, order) => {
        const result = await run({ type: 'placeOrder', order });
        if (result?.type !== 'order.placed' && result?.type !== 'order.refused')
          throw new Error(`placeOrder: expected order.placed or order.refused, got ${result?.type ?? 'nothing'}`);
        const { type: _t, at: _a, ...answer } = result;
        return answer;
      },
      find: async (_request, number) =>
        (await expect({ type: 'findOrders', ...(number !== undefined ? { number } : {}) }, 'orders.found')).orders,
    },
    profiles: {
      recommend: async (_key, _city, limit) => (await expect({ type: 'recommend', limit }, 'recommend.done')).items,
      learn: async (_key, _city, signal) => host.learn(signal.name, signal.props ?? {}),
      forget: async () => void (await run({ type: 'forgetPreferences' })),
    },
  };
}
