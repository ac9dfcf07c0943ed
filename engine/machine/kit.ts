import { formatPrice, type Product } from '../catalog.ts';
import { clip } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { Option, ProductItem } from '../replies.ts';
import type { Scenario } from '../scenario/schema.ts';
import type { TextKey } from '../scenario/textKeys.ts';
import type { Ctx } from './setup.ts';
import { productHandle } from './handles.ts';

/** one encoder for every card: Telegram drops a button whose data is over 64 bytes */
const utf8 = new TextEncoder();

/** What a transition does: a context patch and the effects it asks for. */
/** `speaker`: whose words the replies are, for the history (a relayed manager message is not the bot's) */
export type Outcome = { context?: Partial<Ctx>; effects?: Effect[]; speaker?: 'bot' | 'manager' };
type Vars = Partial<Record<string, string | number>>;
/** durable timers a conversation may have: idle follow-up, manager SLA, silent hand-off, a flow's reminder */
export type TimerKind = 'idle' | 'sla' | 'silence' | 'remind';

/**
 * Helpers bound to one scenario: texts in the shopper's language, buttons, product cards and
 * timers. Named actions (actions.ts) get the kit of their machine's scenario.
 */
export function makeKit(s: Scenario) {
  const text = (ctx: Ctx, key: TextKey, vars: Vars = {}): string => {
    const template = s.texts[ctx.lang][key] ?? s.texts[s.defaultLang][key] ?? key;
    return template.replace(/\{([a-zA-Z_]+)\}/g, (whole, name: string) => {
      const value = vars[name];
      return value === undefined ? whole : String(value);
    });
  };
  const say = (ctx: Ctx, key: TextKey, vars?: Vars): Effect => ({
    type: 'reply',
    reply: { type: 'text', text: text(ctx, key, vars) },
  });
  const button = (ctx: Ctx, id: string, key: TextKey): Option => ({ id, label: text(ctx, key) });
  const ask = (ctx: Ctx, prompt: string | undefined, options: Option[]): Effect => ({
    type: 'reply',
    reply: prompt === undefined ? { type: 'choices', options } : { type: 'choices', text: prompt, options },
  });
  const menuOptions = (ctx: Ctx): Option[] => s.menu.map((m) => ({ id: `menu:${m.id}`, label: m.label[ctx.lang] }));
  /** a text followed by the main menu as buttons, in one message */
  const withMenu = (ctx: Ctx, key: TextKey, vars?: Vars): Effect => ask(ctx, text(ctx, key, vars), menuOptions(ctx));
  const price = (amount: number, currency = 'KZT') => formatPrice(amount, currency);
  /** «250 000» — grouped like a price, without the currency */
  const amount = (value: number) => formatPrice(value, '').trim();

  /** a product card: details (unless it is the detail view), price alert (unless `alert: false`), extra buttons */
  const card = (
    ctx: Ctx,
    p: Product,
    opts: { detail?: boolean; alert?: boolean; extra?: Option[] } = {},
  ): ProductItem => {
    // a product that can be bought gets «🛒 В корзину» on every card, the detail card first
    const buyable = p.available && p.stockQuantity !== 0;
    const options = [
      ...(opts.detail ? [] : [button(ctx, `p:${productHandle(p.sku)}`, 'btnDetails')]),
      ...(buyable ? [button(ctx, `c:${productHandle(p.sku)}`, 'btnAddToCart')] : []),
      ...(opts.alert === false ? [] : [button(ctx, `a:${productHandle(p.sku)}`, 'btnAlert')]),
      ...(opts.extra ?? []),
    ].filter((o) => utf8.encode(o.id).length <= 64);
    const item: ProductItem = {
      id: p.id,
      sku: p.sku,
      name: p.name,
      price: p.price,
      currency: p.currency,
      available: p.available,
      options,
    };
    if (p.imageUrl !== undefined) item.imageUrl = p.imageUrl;
    if (p.oldPrice !== undefined) item.oldPrice = p.oldPrice;
    if (p.images !== undefined && p.images.length > 1) item.images = p.images;
    if (p.stockQuantity !== undefined) item.stockQuantity = p.stockQuantity;
    if (opts.detail && p.description !== undefined) item.description = p.description;
    return item;
  };

  /** absolute due time from the event's own clock; the engine never reads one */
  const dueAt = (at: string, ms: number) => new Date(Date.parse(at) + ms).toISOString();

  /** schedule a timer `<kind>:<seq>`, replacing any earlier timer of the same kind */
  const schedule = (ctx: Ctx, kind: TimerKind, at: string, ms: number): Outcome => {
    const stale = ctx.timers.filter((id) => id.startsWith(`${kind}:`));
    const kept = ctx.timers.filter((id) => !id.startsWith(`${kind}:`));
    const effects: Effect[] = stale.map((timerId) => ({ type: 'cancel', timerId }));
    if (ms <= 0 || Number.isNaN(Date.parse(at))) return { context: { timers: kept }, effects };
    const timerId = `${kind}:${ctx.seq + 1}`;
    effects.push({ type: 'schedule', timerId, dueAt: dueAt(at, ms) });
    return { context: { timers: [...kept, timerId].slice(-8), seq: ctx.seq + 1 }, effects };
  };
  const unschedule = (ctx: Ctx, kind: TimerKind): Outcome => {
    const stale = ctx.timers.filter((id) => id.startsWith(`${kind}:`));
    if (stale.length === 0) return {};
    return {
      context: { timers: ctx.timers.filter((id) => !stale.includes(id)) },
      effects: stale.map((timerId) => ({ type: 'cancel', timerId })),
    };
  };

  const historyLimit = (ctx: Ctx) => s.context[ctx.channel];

  /** fold outcomes left to right: later context patches see earlier ones */
  const seq = (ctx: Ctx, ...steps: Array<(c: Ctx) => Outcome>): Outcome => {
    let current = ctx;
    const patch: Partial<Ctx> = {};
    const effects: Effect[] = [];
    let speaker: Outcome['speaker'];
    for (const f of steps) {
      const out = f(current);
      if (out.context) {
        Object.assign(patch, out.context);
        current = { ...current, ...out.context };
      }
      if (out.effects) effects.push(...out.effects);
      if (out.speaker) speaker = out.speaker;
    }
    return speaker ? { context: patch, effects, speaker } : { context: patch, effects };
  };

  return {
    s,
    text,
    say,
    button,
    ask,
    menuOptions,
    withMenu,
    price,
    amount,
    card,
    schedule,
    unschedule,
    historyLimit,
    seq,
    clip,
  };
}

export type Kit = ReturnType<typeof makeKit>;
