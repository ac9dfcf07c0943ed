import type { Lang, SearchCriteria } from '../catalog.ts';
import type { Intent, SearchArgs, Understanding } from '../intent.ts';
import { matchCart } from './cart.ts';
import { type DesignerIntents, matchDesignerIntent } from './designer.ts';
import { detectLang } from './lang.ts';
import { cleanRaw, normalizeText, tokenize, type Token } from './normalize.ts';
import { extractPrice } from './price.ts';
import { EMOJI_INTENTS, RULES } from './rules.ts';
import { findSku } from './sku.ts';
import { MAX_SKU_LENGTH } from '../skuKey.ts';
import { extractSlots } from './slots.ts';
import { takeStockRequest } from './stock.ts';
import type { Vocabulary } from './vocabulary.ts';
import { countWord } from './quantity.ts';
import { CHEAPER, MORE_WORDS, PRICIER, PRODUCT_NOUN, SIZE_WORDS, STOP_WORDS } from './words.ts';

export { buildVocabulary, type Vocabulary } from './vocabulary.ts';
export type { DesignerIntent, DesignerIntents } from './designer.ts';

/**
 * The local rules brain: deterministic understanding of shopper messages in Russian, Kazakh and
 * English. Pure — no clock, no randomness, no I/O — and bounded: only the head of a message is
 * analysed. It never throws; anything it cannot read is `unknown`. The catalog's words (categories,
 * colours, materials) come from `vocabulary`, built from the retailer's taxonomy by `buildVocabulary`.
 */

export interface UnderstandContext {
  lang: Lang;
  /** the search the shopper is looking at, so attribute-only messages refine it */
  criteria?: SearchCriteria;
  /** the product card in focus («подробнее», «уведоми когда подешевеет») */
  focusSku?: string;
  /** the scenario's own intents; pass the scenario's object itself — it is compiled once and cached by it */
  intents?: DesignerIntents;
}

export function understandText(text: string, context: UnderstandContext, vocabulary: Vocabulary): Understanding {
  try {
    return analyse(typeof text === 'string' ? text : '', context ?? { lang: 'ru' }, vocabulary);
  } catch {
    return { intent: { name: 'unknown' }, source: 'rules' };
  }
}

function analyse(text: string, context: UnderstandContext, vocabulary: Vocabulary): Understanding {
  const cleaned = cleanRaw(text);
  const sku = findSku(cleaned);
  const stock = takeStockRequest(sku ? `${cleaned.slice(0, sku.start)} ${cleaned.slice(sku.end)}` : cleaned);
  const tokens = tokenize(normalizeText(stock.text));
  const lang = detectLang(tokens);
  const flat = ` ${tokens
    .filter((t) => t.kind !== 'symbol')
    .map((t) => t.text)
    .join(' ')} `;
  const angry = RULES.angry.test(flat);
  const done = (intent: Intent): Understanding => {
    const u: Understanding = { intent, source: 'rules' };
    if (lang) u.lang = lang;
    if (angry) u.sentiment = 'angry';
    return u;
  };

  if (tokens.length === 0 && !sku) {
    for (const [pattern, name] of EMOJI_INTENTS) if (pattern.test(cleaned)) return done({ name });
    return done({ name: 'unknown' });
  }

  const used = tokens.map(() => false);
  const price = extractPrice(tokens, used);
  const slots = extractSlots(tokens, used, vocabulary, lang === 'kk' || context.lang === 'kk');

  if (RULES.botQuestion.test(flat)) return done({ name: 'smalltalk' });
  if (RULES.cancelAlert.test(flat)) return done({ name: 'cancel_price_alert', args: sku ? { sku: sku.sku } : {} });
  if (RULES.createAlert.test(flat)) {
    const args: { sku?: string; target_price?: number } = {};
    if (sku) args.sku = sku.sku;
    const target = price.max ?? price.min;
    if (target !== undefined) args.target_price = target;
    return done({ name: 'create_price_alert', args });
  }
  if (RULES.escalate.test(flat))
    return done({ name: 'escalate_to_manager', args: { reason: escalationReason(cleaned) } });
  // buying comes before the SKU (which alone shows the product) and «удали всё» (forget): «добавь SOFA-001 в корзину»
  const cart = matchCart({
    flat,
    tokens,
    used,
    ...(sku ? { sku: sku.sku } : {}),
    criteria: [slots.category, slots.color, slots.material, price.min, price.max].some((x) => x !== undefined),
    question: /\?\s*$/.test(cleaned),
  });
  if (cart) return done(cart);
  if (sku) return done({ name: 'get_product', args: { sku: sku.sku } });
  if (RULES.forget.test(flat)) return done({ name: 'forget_preferences' });

  const switchTo = languageSwitch(flat, tokens.length);
  if (switchTo) return done({ name: 'set_language', args: { lang: switchTo } });

  // the scenario's own intents: after the commands above, before search and the polite words
  const designer =
    context.intents && matchDesignerIntent(context.intents, tokens, used, lang === 'kk' || context.lang === 'kk');
  if (designer) return done({ name: 'designer', args: { intent: designer } });

  let adjust: 'cheaper' | 'pricier' | undefined;
  for (let i = 0; i < tokens.length; i++) {
    if (used[i] || tokens[i]!.kind !== 'word') continue;
    const w = tokens[i]!.text;
    const negated = tokens[i - 1]?.text === 'не' || tokens[i - 1]?.text === 'not';
    // «қымбат емес» — not expensive
    const negatedAfter = tokens[i + 1]?.text === 'емес';
    // «слишком дорого», "too expensive": the shopper wants cheaper
    const tooMuch =
      tokens[i - 1]?.text === 'too' || tokens[i - 1]?.text === 'слишком' || tokens[i - 1]?.text === 'очень';
    if (negatedAfter) used[i + 1] = true;
    if (CHEAPER.test(w)) {
      adjust = negated || negatedAfter ? 'pricier' : 'cheaper';
    } else if (PRICIER.test(w)) {
      adjust = negated || negatedAfter || (tooMuch && w !== 'premium' && w !== 'luxury') ? 'cheaper' : 'pricier';
      if (tooMuch) used[i - 1] = true;
    } else if ((w === 'less' || w === 'more') && tokens[i + 1]?.text === 'expensive') {
      adjust = w === 'less' ? 'cheaper' : 'pricier';
      used[i + 1] = true;
    } else {
      continue;
    }
    used[i] = true;
    if (negated) used[i - 1] = true;
  }

  const query = leftoverQuery(tokens, used, angry);
  // what the message asks of the products besides their category
  const otherSlots =
    slots.color !== undefined ||
    slots.material !== undefined ||
    price.min !== undefined ||
    price.max !== undefined ||
    adjust !== undefined ||
    stock.includeUnavailable;
  const hasSlots = slots.category !== undefined || otherSlots;

  const search = (): Understanding => {
    const args: SearchArgs = {};
    if (query.text && !RULES.offTopic.test(` ${query.text} `)) args.query = query.text;
    if (slots.category) args.category = slots.category;
    if (slots.color) args.color = slots.color;
    if (slots.material) args.material = slots.material;
    if (price.min !== undefined) args.price_min = price.min;
    if (price.max !== undefined) args.price_max = price.max;
    if (stock.includeUnavailable) args.include_unavailable = true;
    const criteria = context.criteria;
    // naming the category again without «а …?» is a fresh request: «кожаный диван» after red sofas
    const restatesCategory = slots.category !== undefined && !FOLLOW_UP.test(flat);
    const isNew =
      !criteria || (slots.category !== undefined && slots.category !== criteria.category) || restatesCategory;
    const intent: Intent = { name: 'search_products', args, mode: isNew ? 'new' : 'refine' };
    if (adjust) intent.adjust = adjust;
    const understood = done(intent);
    // «есть 000123456?»: a lone bare number is the retailer's code when the catalog has it; a
    // dashed pair («прихожая 7701-55») is code-shaped enough to be looked up beside other criteria
    const alone = Object.keys(args).length === 1 || price.bare?.includes('-') === true;
    if (price.bare !== undefined && alone && !adjust && price.bare.length <= MAX_SKU_LENGTH)
      understood.skuOrPrice = price.bare;
    return understood;
  };

  // «ещё два дивана покажи» with sofas on screen: the category named again pages on, it is no new search
  if (query.onlyMore && !otherSlots && slots.category !== undefined && slots.category === context.criteria?.category)
    return done({ name: 'more' });
  if (hasSlots) return search();

  if (context.focusSku && RULES.details.test(flat))
    return done({ name: 'get_product', args: { sku: context.focusSku } });
  if (query.onlyMore) return done({ name: 'more' });
  if (RULES.helpQuestion.test(flat)) return done({ name: 'help' });
  if (RULES.menu.test(flat)) return done({ name: 'menu' });
  if (RULES.bye.test(flat)) return done({ name: 'bye' });
  // «спасибо за помощь» is thanks, «помогите» alone is help
  if (RULES.thanks.test(flat)) return done({ name: 'thanks' });
  if (RULES.help.test(flat)) return done({ name: 'help' });
  if (RULES.smalltalk.test(flat)) return done({ name: 'smalltalk' });
  if (RULES.greeting.test(flat)) return done({ name: 'greeting' });
  if (query.text && !RULES.offTopic.test(flat)) {
    if (RULES.searchVerb.test(flat) || query.productNoun) return search();
    // «а угловой?» while a search is on screen — but not any unknown words («кыштым карабас»)
    if (
      context.criteria &&
      query.words <= 3 &&
      (FOLLOW_UP.test(flat) || WITH_FEATURE.test(flat) || /\?\s*$/.test(cleaned) || query.allAdjectives)
    )
      return search();
  }
  return done({ name: 'unknown' });
}

/** how a follow-up question about the results on screen begins: «а синий?», «ал көк?», "and in blue?" */
const FOLLOW_UP = /^\s*(?:а|ал|and|what about|how about|any)\s/u;
/** a feature of the results on screen: «с ящиком», «со столешницей», "with a drawer" */
const WITH_FEATURE = /^\s*(?:с|со|with)\s/u;

/** Kazakh «түсті», «түстісі» (coloured) — filler around a colour */
const STOP_PREFIX = /^(?:түст|тұст|туст)/u;

interface Leftover {
  text: string;
  words: number;
  /** the message was nothing but paging words («покажи ещё», "next") */
  onlyMore: boolean;
  /** a furniture word without a category of its own («зеркало», «стенка») */
  productNoun: boolean;
  /** every leftover word looks like an adjective («угловой», «раскладной», "corner") */
  allAdjectives: boolean;
}

const ADJECTIVE = /(?:ый|ий|ой|ая|яя|ое|ее|ые|ие|ого|его|ым|им)$/u;

function leftoverQuery(tokens: readonly Token[], used: readonly boolean[], angry: boolean): Leftover {
  const kept: string[] = [];
  let more = false;
  let other = false;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (used[i] || t.kind === 'symbol') continue;
    // sizes «160х200» stay one word
    const x = tokens[i + 1];
    if (
      t.kind === 'number' &&
      x &&
      (x.text === 'х' || x.text === 'x' || x.text === '*') &&
      tokens[i + 2]?.kind === 'number'
    ) {
      kept.push(`${t.text}х${tokens[i + 2]!.text}`);
      other = true;
      i += 2;
      continue;
    }
    if (angry && t.kind === 'word' && RULES.angry.test(` ${t.text} `)) continue;
    if (STOP_PREFIX.test(t.text)) continue;
    if (MORE_WORDS.has(t.text)) {
      more = true;
      continue;
    }
    // «покажи ещё два», "two more": how many more to page through, not words to search for
    const pagingCount = t.kind === 'number' ? (t.value ?? Infinity) <= 20 : countWord(t.text) !== undefined;
    if (pagingCount && (MORE_WORDS.has(tokens[i - 1]?.text ?? '') || MORE_WORDS.has(tokens[i + 1]?.text ?? '')))
      continue;
    if (STOP_WORDS.has(t.text)) continue;
    // single letters go, except a shape before a hyphen («Г-образный», "L-shaped")
    if (t.kind === 'word' && t.text.length < 2 && tokens[i + 1]?.text !== '-') continue;
    other = true;
    kept.push(SIZE_WORDS[t.text] ?? t.text);
  }
  const text = kept.join(' ').slice(0, 200).trim();
  return {
    text,
    words: kept.length,
    onlyMore: more && !other,
    productNoun: kept.some((w) => PRODUCT_NOUN.test(w)),
    allAdjectives: kept.length > 0 && kept.every((w) => ADJECTIVE.test(w)),
  };
}

function languageSwitch(flat: string, tokenCount: number): Lang | undefined {
  const short = tokenCount <= 4;
  if (!short && !RULES.langVerb.test(flat)) return undefined;
  if (RULES.langKk.test(flat)) return 'kk';
  if (RULES.langEn.test(flat)) return 'en';
  if (RULES.langRu.test(flat)) return 'ru';
  return undefined;
}

function escalationReason(cleaned: string): string {
  const text = cleaned.replace(/\s+/g, ' ').trim();
  return text.length > 200 ? `${text.slice(0, 197)}...` : text || 'shopper asked for a manager';
}
