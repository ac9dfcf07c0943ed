import { AUDIENCE_CATEGORIES, type Product, type SearchCriteria } from '../catalog.ts';
import { hasCriteria, type Pending } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { EngineEvent } from '../events.ts';
import type { Intent } from '../intent.ts';
import type { Option } from '../replies.ts';
import type { Relaxable } from '../scenario/routes.ts';
import type { ActionTable } from '../machine/actions.ts';
import { intentOf } from '../machine/read.ts';
import { choiceSku } from '../machine/handles.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import { IDLE, SEARCHING } from '../machine/stateIds.ts';
import { menuSearchCriteria } from './menu.ts';
import { skuFromText } from './skuFromText.ts';

/**
 * Search flow: criteria from understanding (new / refine / cheaper / pricier), paging,
 * product details, zero results → relax, alert or manager.
 *
 *   search.searching ── search.done ──▶ idle (results | zero results)
 *   search.details   ── lookupSku.done ──▶ idle (product card | not found)
 */
type SearchIntent = Extract<Intent, { name: 'search_products' }>;

export function criteriaFromArgs(args: SearchIntent['args']): SearchCriteria {
  const c: SearchCriteria = {};
  if (args.query !== undefined && args.query.trim() !== '') c.query = args.query.trim().slice(0, 200);
  if (args.category !== undefined) c.category = args.category;
  if (args.color !== undefined) c.color = args.color;
  if (args.material !== undefined) c.material = args.material;
  if (args.price_min !== undefined) c.priceMin = args.price_min;
  if (args.price_max !== undefined) c.priceMax = args.price_max;
  if (args.include_unavailable === true) c.includeUnavailable = true;
  return c;
}

/** criteria for a search intent: `new` replaces, `refine` overlays, `adjust` moves the price window */
export function nextCriteria(ctx: Ctx, intent: SearchIntent, cheaperFactor: number): SearchCriteria {
  const given = criteriaFromArgs(intent.args);
  const refine = intent.mode === 'refine' || intent.adjust !== undefined;
  const c: SearchCriteria = refine && ctx.criteria ? { ...ctx.criteria, ...given } : given;
  const before = ctx.criteria;
  if (given.category && AUDIENCE_CATEGORIES.has(given.category) && given.query === undefined && before?.category) {
    // «хочу кровать → а детские есть?»: an audience alone narrows the search on screen, it does not
    // replace the kind of product («детская кровать», «детская мебель» are new searches as before)
    const kind = AUDIENCE_CATEGORIES.has(before.category) ? before.audience : before.category;
    if (kind && kind !== given.category) {
      const { category: _audience, ...facets } = given;
      return { ...before, ...facets, category: kind, audience: given.category };
    }
  }
  if (intent.adjust === 'cheaper' && given.priceMax === undefined) {
    // strictly cheaper than anything on screen; without a screen, a step down from the old ceiling
    if (ctx.shownMin !== null) c.priceMax = Math.max(0, ctx.shownMin - 1);
    else if (c.priceMax !== undefined) c.priceMax = Math.round(c.priceMax * cheaperFactor);
    // the floor belonged to the earlier, dearer window
    if (given.priceMin === undefined) delete c.priceMin;
  }
  if (intent.adjust === 'pricier' && given.priceMin === undefined) {
    if (ctx.shownMax !== null) c.priceMin = ctx.shownMax + 1;
    else if (c.priceMax !== undefined) c.priceMin = c.priceMax;
    if (given.priceMax === undefined) delete c.priceMax;
  }
  if (c.priceMin !== undefined && c.priceMax !== undefined && c.priceMin > c.priceMax) {
    [c.priceMin, c.priceMax] = [c.priceMax, c.priceMin];
  }
  return c;
}

const present = (c: SearchCriteria, key: Relaxable): boolean =>
  key === 'price' ? c.priceMin !== undefined || c.priceMax !== undefined : c[key] !== undefined;

/** drop the first criterion in the scenario's relax order that is present */
export function relaxCriteria(c: SearchCriteria | null, order: readonly Relaxable[]): SearchCriteria | null {
  if (!c) return null;
  const key = order.find((k) => present(c, k));
  if (!key) return null;
  const next = { ...c };
  if (key === 'price') {
    delete next.priceMin;
    delete next.priceMax;
  } else delete next[key];
  return next;
}

export function canPage(ctx: Ctx, pageSize: number): boolean {
  return hasCriteria(ctx.criteria) && (ctx.page * pageSize < ctx.total || ctx.totalCapped === true);
}

export function startSearch(
  k: Kit,
  ctx: Ctx,
  criteria: SearchCriteria,
  page: number,
  via: NonNullable<Pending['via']>,
): Outcome {
  return {
    context: { criteria, page, pending: { via }, focus: page === 1 ? null : ctx.focus },
    effects: [{ type: 'search', criteria, page, pageSize: k.s.search.pageSize }],
  };
}

function nextPage(k: Kit, ctx: Ctx): Outcome {
  return ctx.criteria ? startSearch(k, ctx, ctx.criteria, ctx.page + 1, 'text') : {};
}

/** `otherwise`: the search to run instead when the catalog has no such code */
export function startDetails(ctx: Ctx, sku: string, otherwise?: SearchCriteria): Outcome {
  return { context: { pending: otherwise ? { sku, otherwise } : { sku } }, effects: [{ type: 'lookupSku', sku }] };
}

const trackProps = (c: SearchCriteria | null) => ({
  query: c?.query ?? null,
  category: c?.category ?? null,
  color: c?.color ?? null,
  material: c?.material ?? null,
  priceMin: c?.priceMin ?? null,
  priceMax: c?.priceMax ?? null,
});

function showResults(k: Kit, ctx: Ctx, ev: Ev<'search.done'>): Outcome {
  const size = k.s.search.pageSize;
  const items = ev.items.slice(0, size);
  const total = Math.max(Number.isFinite(ev.total) ? Math.min(Math.floor(ev.total), 1_000_000) : 0, items.length);
  const pages = Math.max(1, Math.ceil(total / size));
  const page = Math.min(ctx.page, pages);
  // a capped count is shown as what it is, a lower bound: «Нашёл 200+ — страница 1 из 20+»
  const capped = ev.totalCapped === true;
  const shownTotal = capped ? `${total}+` : total;
  const via = ctx.pending?.via ?? 'text';
  const effects: Effect[] = [];
  if (via === 'relax') effects.push(k.say(ctx, 'searchRelaxed'));
  effects.push(
    via === 'image'
      ? k.say(ctx, 'imageSimilar', { total: shownTotal })
      : k.say(ctx, 'searchResults', { total: shownTotal, page, pages: capped ? `${pages}+` : pages }),
  );
  effects.push({ type: 'reply', reply: { type: 'products', view: 'list', items: items.map((p) => k.card(ctx, p)) } });
  const options: Option[] = [];
  if (page * size < total || capped) options.push(k.button(ctx, 'more', 'btnMore'));
  options.push(k.button(ctx, 'menu', 'btnMenu'), k.button(ctx, 'm', 'btnManager'));
  effects.push(k.ask(ctx, undefined, options));
  // words the catalog left out because nothing matched them: what shoppers ask for that the shop lacks
  const props: Record<string, string | number | boolean | null> = { ...trackProps(ctx.criteria), total, via };
  if (ev.relaxed) props.dropped = ev.relaxed.dropped.join(' ');
  if (page === 1) effects.push({ type: 'track', name: 'search', props });
  const prices = items.map((p) => p.price);
  // a single match is the product in focus: «уведоми, когда подешевеет» then needs no SKU
  const only = total === 1 ? items[0] : undefined;
  const focus = only
    ? { productId: only.id, sku: only.sku, name: k.clip(only.name, 120), price: only.price }
    : ctx.focus;
  return k.seq(
    ctx,
    () => ({
      context: {
        total,
        totalCapped: capped,
        page,
        pending: null,
        failedTurns: 0,
        shownMin: Math.min(...prices),
        shownMax: Math.max(...prices),
        focus,
      },
      effects,
    }),
    (c) => k.schedule(c, 'idle', ev.at, k.s.timers.idleFollowUpMs),
  );
}

function zeroResultOptions(k: Kit, ctx: Ctx): Option[] {
  const options: Option[] = [];
  if (relaxCriteria(ctx.criteria, k.s.search.relaxOrder)) options.push(k.button(ctx, 'relax', 'btnRelax'));
  if (hasCriteria(ctx.criteria)) options.push(k.button(ctx, 'alert:search', 'btnAlertSearch'));
  options.push(k.button(ctx, 'm', 'btnManager'));
  return options;
}

function showZeroResults(k: Kit, ctx: Ctx): Outcome {
  const via = ctx.pending?.via ?? 'text';
  const track: Effect = { type: 'track', name: 'zero_results', props: { ...trackProps(ctx.criteria), via } };
  if (via === 'image') {
    return {
      context: { total: 0, totalCapped: false, pending: null, shownMin: null, shownMax: null },
      effects: [
        k.ask(ctx, k.text(ctx, 'imageNoMatch'), [k.button(ctx, 'm', 'btnManager'), k.button(ctx, 'menu', 'btnMenu')]),
        track,
      ],
    };
  }
  const done = { ...ctx, total: 0, totalCapped: false };
  return {
    context: { total: 0, totalCapped: false, page: 1, pending: null, shownMin: null, shownMax: null },
    effects: [k.ask(done, k.text(ctx, 'noResults'), zeroResultOptions(k, done)), track],
  };
}

function showProduct(k: Kit, ctx: Ctx, product: Product): Outcome {
  return {
    context: {
      pending: null,
      failedTurns: 0,
      focus: { productId: product.id, sku: product.sku, name: k.clip(product.name, 120), price: product.price },
    },
    effects: [
      {
        type: 'reply',
        reply: {
          type: 'products',
          view: 'detail',
          items: [k.card(ctx, product, { detail: true, extra: [k.button(ctx, 'm', 'btnManager')] })],
        },
      },
      { type: 'track', name: 'product_view', props: { sku: product.sku, productId: product.id } },
    ],
  };
}

function productNotFound(k: Kit, ctx: Ctx, sku: string): Outcome {
  return { context: { pending: null }, effects: [k.withMenu(ctx, 'productNotFound', { sku: k.clip(sku, 40) })] };
}

function apologise(k: Kit, ctx: Ctx): Outcome {
  return { context: { pending: null }, effects: [k.withMenu(ctx, 'error')] };
}

/** the criteria a search intent asks for, on top of what is on screen */
const askedCriteria = (k: Kit, ctx: Ctx, ev: EngineEvent) => {
  const intent = intentOf(ev, 'search_products');
  return intent ? nextCriteria(ctx, intent, k.s.search.cheaperFactor) : null;
};

export const searchActions = {
  searchAsked: (k, c, ev: EngineEvent) => startSearch(k, c, askedCriteria(k, c, ev) ?? {}, 1, 'text'),
  searchMenuItem: (k, c, ev: Ev<'choice'>) => startSearch(k, c, menuSearchCriteria(k, ev.id) ?? {}, 1, 'menu'),
  searchRelaxed: (k, c) => startSearch(k, c, relaxCriteria(c.criteria, k.s.search.relaxOrder) ?? {}, 1, 'relax'),
  /** the code looked up is not in the catalog: run the search the message also read as */
  searchInstead: (k, c) => (c.pending?.otherwise ? startSearch(k, c, c.pending.otherwise, 1, 'text') : {}),
  nextPage: (k, c) => nextPage(k, c),
  lookUpChosenProduct: (_k, c, ev: Ev<'choice'>) => startDetails(c, choiceSku(c, ev.id, 'p:') ?? ''),
  lookUpNamedProduct: (_k, c, ev: EngineEvent) => startDetails(c, intentOf(ev, 'get_product')?.args.sku ?? ''),
  /** a deep link (`t.me/bot?start=SOFA-001`, an ad or a QR code on a price tag) opens that product */
  lookUpLinkedProduct: (_k, c, ev: Ev<'command'>) => startDetails(c, skuFromText(ev.args ?? '') ?? ''),
  /** a lone bare number: the product with that code, else the search for that price */
  lookUpSkuOrSearch: (k, c, ev: Ev<'understand.done'>) =>
    startDetails(c, ev.understanding.skuOrPrice ?? '', askedCriteria(k, c, ev) ?? undefined),
  showResults: (k, c, ev: Ev<'search.done'>) => showResults(k, c, ev),
  showZeroResults: (k, c) => showZeroResults(k, c),
  /** «relax» when nothing is left to relax: the zero-results answer again */
  repeatNoResults: (k, c) => ({ effects: [k.ask(c, k.text(c, 'noResults'), zeroResultOptions(k, c))] }),
  showProduct: (k, c, ev: Ev<'lookupSku.done'>) => (ev.product ? showProduct(k, c, ev.product) : {}),
  productNotFound: (k, c, ev: Ev<'lookupSku.done'>) => productNotFound(k, c, ev.sku),
  apologise: (k, c) => apologise(k, c),
} satisfies ActionTable;

export function searchStates() {
  return engine.createStateConfig({
    initial: 'searching',
    states: {
      searching: {
        on: {
          'search.done': [
            { guard: 'found', target: IDLE, actions: 'showResults' },
            { target: IDLE, actions: 'showZeroResults' },
          ],
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'search' } },
            target: IDLE,
            actions: 'apologise',
          },
        },
      },
      details: {
        on: {
          'lookupSku.done': [
            { guard: 'productFound', target: IDLE, actions: 'showProduct' },
            { guard: 'searchOtherwise', target: SEARCHING, actions: 'searchInstead' },
            { target: IDLE, actions: 'productNotFound' },
          ],
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'lookupSku' } },
            target: IDLE,
            actions: 'apologise',
          },
        },
      },
    },
  });
}
