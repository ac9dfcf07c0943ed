import type { Product } from '../catalog.ts';
import type { AlertHit, EngineEvent } from '../events.ts';
import { hasCriteria } from '../context.ts';
import type { ActionTable } from '../machine/actions.ts';
import { alertSkuOf, intentOf } from '../machine/read.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import { ALERT_CREATING, IDLE } from '../machine/stateIds.ts';
import { choiceSku, productHandle } from '../machine/handles.ts';

/**
 * Price alerts: subscribe from a card button (`a:<handle>`), from «уведоми когда подешевеет» about
 * the product in focus, or to a search with no results (`alert:search`); unsubscribe (`u:<handle>`).
 * Catalog events reach the shopper in any state: `alert.digest` (what the platform sends: every
 * hit of one sweep or catalog change for this shopper) and the single `price.dropped` / `alert.matched`.
 *
 *   alerts.lookingUp ── lookupSku.done ──▶ alerts.creating | idle (not found)
 *   alerts.creating ── createAlert.done ──▶ idle (confirmation)
 */

type AlertRequest = { sku: string; targetPrice?: number };

/** the product is already in focus: no lookup needed */
export const focusIs = (ctx: Ctx, sku: string) => ctx.focus !== null && ctx.focus.sku === sku;

function targetOf(k: Kit, targetPrice: number | undefined): { targetPrice?: number } {
  return k.s.alerts.allowTargetPrice && targetPrice !== undefined && targetPrice > 0 ? { targetPrice } : {};
}

function lookUpForAlert(k: Kit, ctx: Ctx, req: AlertRequest): Outcome {
  return {
    context: { pending: { alert: 'product', sku: req.sku, ...targetOf(k, req.targetPrice) } },
    effects: [{ type: 'lookupSku', sku: req.sku }],
  };
}

/** create the alert for the product in focus */
function alertFocus(k: Kit, ctx: Ctx, targetPrice: number | undefined): Outcome {
  const f = ctx.focus;
  if (!f) return {};
  const target = targetOf(k, targetPrice);
  return {
    context: { pending: { alert: 'product', sku: f.sku, ...target } },
    effects: [
      {
        type: 'createAlert',
        target: { kind: 'product', productId: f.productId, sku: f.sku, price: f.price, ...target },
      },
    ],
  };
}

function alertSearch(ctx: Ctx): Outcome {
  if (!hasCriteria(ctx.criteria)) return {};
  return {
    context: { pending: { alert: 'search' } },
    effects: [{ type: 'createAlert', target: { kind: 'search', criteria: ctx.criteria } }],
  };
}

function cancelAlert(k: Kit, ctx: Ctx, sku: string | undefined): Outcome {
  return {
    context: { pending: null },
    effects: [
      sku ? { type: 'cancelAlert', sku } : { type: 'cancelAlert' },
      k.withMenu(ctx, 'alertCancelled'),
      { type: 'track', name: 'alert_cancelled', props: { sku: sku ?? null } },
    ],
  };
}

function confirm(k: Kit, ctx: Ctx): Outcome {
  const pending = ctx.pending;
  const menu = k.button(ctx, 'menu', 'btnMenu');
  if (pending?.alert === 'search' || !ctx.focus) {
    return {
      context: { pending: null },
      effects: [
        k.ask(ctx, k.text(ctx, 'alertSearchCreated'), [menu]),
        { type: 'track', name: 'alert_created', props: { kind: 'search' } },
      ],
    };
  }
  const f = ctx.focus;
  const vars = { name: f.name, price: k.price(f.price) };
  const text =
    pending?.targetPrice !== undefined
      ? k.text(ctx, 'alertCreatedTarget', { ...vars, target: k.price(pending.targetPrice) })
      : k.text(ctx, 'alertCreated', vars);
  return {
    context: { pending: null },
    effects: [
      k.ask(ctx, text, [k.button(ctx, `u:${productHandle(f.sku)}`, 'btnUnsubscribe'), menu]),
      { type: 'track', name: 'alert_created', props: { kind: 'product', sku: f.sku } },
    ],
  };
}

function dropCard(k: Kit, ctx: Ctx, p: Product) {
  return k.card(ctx, p, { alert: false, extra: [k.button(ctx, `u:${productHandle(p.sku)}`, 'btnUnsubscribe')] });
}

function notifyDrop(
  k: Kit,
  ctx: Ctx,
  product: Product,
  oldPrice: number,
  newPrice: number,
  alertId: string | null,
): Outcome {
  const p: Product = { ...product, price: newPrice };
  return {
    effects: [
      // «250 000 → 220 000 ₸»: the currency once, after the new price
      k.say(ctx, 'priceDropped', { name: p.name, old: k.amount(oldPrice), new: k.price(newPrice, p.currency) }),
      { type: 'reply', reply: { type: 'products', view: 'list', items: [dropCard(k, ctx, p)] } },
      { type: 'track', name: 'price_drop_notified', props: { sku: p.sku, alertId } },
    ],
  };
}

function notifyMatch(k: Kit, ctx: Ctx, p: Product, alertId: string): Outcome {
  return {
    effects: [
      k.say(ctx, 'alertMatched', { name: p.name, price: k.price(p.price, p.currency) }),
      { type: 'reply', reply: { type: 'products', view: 'list', items: [k.card(ctx, p)] } },
      { type: 'track', name: 'alert_match_notified', props: { sku: p.sku, alertId } },
    ],
  };
}

/**
 * Everything the shopper's alerts found at once is one message: a single hit reads as before;
 * several are a header, up to `alerts.digestCards` cards, and how many more there are.
 */
function notifyDigest(k: Kit, ctx: Ctx, hits: readonly AlertHit[]): Outcome {
  const [first] = hits;
  if (hits.length === 1 && first) {
    return first.kind === 'product' && first.oldPrice !== undefined
      ? notifyDrop(k, ctx, first.product, first.oldPrice, first.product.price, first.alertId)
      : notifyMatch(k, ctx, first.product, first.alertId);
  }
  const shown = hits.slice(0, k.s.alerts.digestCards);
  const more = hits.length - shown.length;
  return {
    effects: [
      k.say(ctx, 'alertDigest', { count: hits.length }),
      {
        type: 'reply',
        reply: {
          type: 'products',
          view: 'list',
          items: shown.map((h) => (h.kind === 'product' ? dropCard(k, ctx, h.product) : k.card(ctx, h.product))),
        },
      },
      ...(more > 0 ? [k.say(ctx, 'alertDigestMore', { count: more })] : []),
      { type: 'track', name: 'alert_digest_notified', props: { hits: hits.length, shown: shown.length } },
    ],
  };
}

const targetPriceOf = (ev: EngineEvent) => intentOf(ev, 'create_price_alert')?.args.target_price;

export const alertActions = {
  /** the product on screen: no lookup needed; an understood alert may name a target price */
  alertFocus: (k, c, ev: EngineEvent) => alertFocus(k, c, targetPriceOf(ev)),
  lookUpChosenForAlert: (k, c, ev: Ev<'choice'>) => lookUpForAlert(k, c, { sku: choiceSku(c, ev.id, 'a:') ?? '' }),
  lookUpNamedForAlert: (k, c, ev: EngineEvent) => {
    const target = targetPriceOf(ev);
    return lookUpForAlert(k, c, {
      sku: alertSkuOf(ev) ?? '',
      ...(target !== undefined ? { targetPrice: target } : {}),
    });
  },
  alertSearch: (_k, c) => alertSearch(c),
  cancelChosenAlert: (k, c, ev: Ev<'choice'>) => cancelAlert(k, c, choiceSku(c, ev.id, 'u:') ?? undefined),
  cancelNamedAlert: (k, c, ev: EngineEvent) =>
    cancelAlert(k, c, intentOf(ev, 'cancel_price_alert')?.args.sku ?? c.focus?.sku),
  /** the product looked up becomes the focus, and the alert is for it */
  alertFoundProduct: (k, c, ev: Ev<'lookupSku.done'>) => {
    if (!ev.product) return {};
    const p = ev.product;
    const focused: Ctx = { ...c, focus: { productId: p.id, sku: p.sku, name: k.clip(p.name, 120), price: p.price } };
    const out = alertFocus(k, focused, c.pending?.targetPrice);
    return { context: { focus: focused.focus, ...out.context }, effects: out.effects ?? [] };
  },
  confirmAlert: (k, c) => confirm(k, c),
  notifyDrop: (k, c, ev: Ev<'price.dropped'>) =>
    notifyDrop(k, c, ev.product, ev.oldPrice, ev.newPrice, ev.alertId ?? null),
  notifyMatch: (k, c, ev: Ev<'alert.matched'>) => notifyMatch(k, c, ev.product, ev.alertId),
  notifyDigest: (k, c, ev: Ev<'alert.digest'>) => notifyDigest(k, c, ev.hits),
} satisfies ActionTable;

export function alertStates() {
  return engine.createStateConfig({
    initial: 'lookingUp',
    states: {
      lookingUp: {
        on: {
          'lookupSku.done': [
            { guard: 'productFound', target: ALERT_CREATING, actions: 'alertFoundProduct' },
            { target: IDLE, actions: 'productNotFound' },
          ],
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'lookupSku' } },
            target: IDLE,
            actions: 'apologise',
          },
        },
      },
      creating: {
        on: {
          'createAlert.done': { target: IDLE, actions: 'confirmAlert' },
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'createAlert' } },
            target: IDLE,
            actions: 'apologise',
          },
        },
      },
    },
  });
}
