import type { Intent } from '../intent.ts';
import {
  ADD,
  ADDED,
  BROWSING,
  CART_GATE,
  CART_NOUN,
  CART_PRODUCT,
  CHECKOUT,
  CLEAR_VERB,
  FILLER,
  HOW,
  INTO_CART,
  NOT_CHECKOUT,
  MORE_OF,
  NOT_TAKING,
  ONE_MORE,
  ORDER_ASK,
  ORDER_NOUN,
  ORDER_NUMBER_CUE,
  ORDER_PROBLEM,
  PAY,
  PAY_QUESTION,
  REMOVE_ALL,
  TAKE,
  THIS,
  WANT,
} from './cartWords.ts';
import type { Token } from './normalize.ts';
import { findQuantity, type Quantity } from './quantity.ts';
import { STOP_WORDS } from './words.ts';

/**
 * Buying: «беру этот», «в корзину», «что в корзине», «очисти корзину», «оформить заказ», «где мой
 * заказ № 12». The brain does not see the screen, so the reading is by the words alone:
 *
 * - a taking verb («беру», «куплю», «хочу купить», "buy") with a product word or criteria is a
 *   search («хочу купить диван», «беру красный»); with «этот/его/вот этот», a SKU, a count or
 *   nothing else it is `add_to_cart` («беру этот», «хочу купить SOFA-001», «возьму два», «беру»);
 * - «в корзину», «себетке қос», "add to cart" always add (the engine takes the product on screen);
 * - «беру ещё один», «тағы біреуін аламын», "I'll take one more" add one more of it (no count: the
 *   engine adds one to the line), never «1» that would replace the line's count; «беру ещё два»,
 *   «тағы екеуін аламын», "two more" add that many (`more`: added to the line, not put in its place);
 * - a count with its unit and nothing else («2 штуки», «екі дана») adds that many of the product on
 *   screen; «стулья 4 штуки» stays a search;
 * - the cart named without «в …у» is `view_cart`, with «очисти»/«удали всё» `clear_cart`; removing
 *   one line («удали диван из корзины») shows the cart, whose buttons edit it;
 * - «как заказать?», «где купить» stay help and search; «оплатить картой можно?» is a question for
 *   the FAQ, not a checkout; «заказать звонок» is a hand-off (matched before this).
 */

export interface CartInput {
  /** the message as « word word » (rules.ts) */
  flat: string;
  tokens: readonly Token[];
  /** tokens already read as a category, colour, material or price */
  used: readonly boolean[];
  sku?: string;
  /** a category, colour, material or price was read: the shopper describes what to find */
  criteria: boolean;
  /** the raw message ends with «?» */
  question: boolean;
}

export function matchCart(input: CartInput): Intent | undefined {
  const { flat } = input;
  if (!CART_GATE.test(flat)) return undefined;
  const how = HOW.test(flat);

  const orders = orderStatus(input);
  if (orders) return orders;

  if (CART_NOUN.test(flat) && !CART_PRODUCT.test(flat)) {
    if (INTO_CART.test(flat) && !ADDED.test(flat))
      return NOT_TAKING.test(flat)
        ? undefined
        : addToCart(
            input,
            findQuantity(input.tokens, (i) => takes(input.tokens[i]!)),
          );
    if (CLEAR_VERB.test(flat) || REMOVE_ALL.test(flat)) return { name: 'clear_cart' };
    return { name: 'view_cart' };
  }
  if (!how && CHECKOUT.test(flat) && !NOT_CHECKOUT.test(flat)) return { name: 'checkout' };
  if (PAY.test(flat) && !input.question && !PAY_QUESTION.test(flat) && !NOT_CHECKOUT.test(flat))
    return { name: 'checkout' };
  if (how || NOT_TAKING.test(flat)) return undefined;
  return takeOrCount(input);
}

/** «где мой заказ», «статус заказа № 12», «тапсырыс 12 қайда», "order 123456" */
function orderStatus({ flat, tokens }: CartInput): Intent | undefined {
  let at = -1;
  for (let i = 0; i < tokens.length; i++) if (tokens[i]!.kind === 'word' && ORDER_NOUN.test(tokens[i]!.text)) at = i;
  if (at === -1 || ORDER_PROBLEM.test(flat)) return undefined;
  let j = at + 1;
  while (j < tokens.length && j <= at + 2 && ORDER_NUMBER_CUE.test(tokens[j]!.text)) j++;
  // Kazakh puts the number first: «12 тапсырыс қайда»
  if (tokens[j]?.kind !== 'number' && tokens[at]!.text.startsWith('тапсырыс') && tokens[at - 1]?.kind === 'number')
    j = at - 1;
  const n = tokens[j]?.kind === 'number' ? tokens[j]!.value : undefined;
  const number = n !== undefined && Number.isInteger(n) && n >= 1 && n <= 1e9 ? n : undefined;
  // «оформить заказ», «тапсырыс беру»: placing one, not asking after it
  if (number === undefined && (!ORDER_ASK.test(flat) || CHECKOUT.test(flat))) return undefined;
  return { name: 'order_status', args: number === undefined ? {} : { number } };
}

function addToCart({ sku }: CartInput, quantity: Quantity | undefined): Intent {
  const args: { sku?: string; quantity?: number; more?: true } = {};
  if (sku) args.sku = sku;
  if (quantity) args.quantity = quantity.value;
  if (quantity?.more) args.more = true;
  return { name: 'add_to_cart', args };
}

const takes = (t: Token) => t.kind === 'word' && (TAKE.test(t.text) || ADD.test(t.text));

/** a taking verb, a pointer at the product on screen or a count — and nothing that describes a product */
function takeOrCount(input: CartInput): Intent | undefined {
  const { tokens, used } = input;
  const more = oneMore(tokens);
  const quantity = more ? undefined : findQuantity(tokens, (i) => takes(tokens[i]!));
  let take = false;
  let pointer = false;
  let want = false;
  let described = input.criteria;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== 'word' || quantity?.tokens.includes(i)) continue;
    const w = t.text;
    if (more?.includes(i)) pointer = true;
    else if (takes(t)) take = true;
    else if (THIS.test(w)) pointer = true;
    else if (WANT.test(w)) want = true;
    else if (BROWSING.test(w)) described = true;
    else if (!used[i] && !STOP_WORDS.has(w) && !FILLER.has(w) && w.length > 1) described = true;
  }
  // «хочу этот SOFA-003» names a product that may not be on screen: its card (with «🛒 В корзину») is shown
  if (!take && !quantity && (!(want && pointer) || input.sku)) return undefined;
  // «беру этот красный», «хочу купить SOFA-001», «SOFA-001 2 штуки»
  if ((take || quantity) && (pointer || input.sku)) return addToCart(input, quantity);
  if (described) return undefined;
  return addToCart(input, quantity);
}

/** the tokens of «ещё один» / «тағы біреу» / "one more" / "another one", if the message has it */
function oneMore(tokens: readonly Token[]): number[] | undefined {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const [a, b] = [tokens[i]!.text, tokens[i + 1]!.text];
    if (!MORE_OF.test(a) || !ONE_MORE.test(b)) continue;
    // "one one", "another more": not the phrase
    if ((a === 'one') !== (b === 'more')) continue;
    return [i, i + 1];
  }
  const last = tokens.length - 1;
  // "I'll take another"
  return tokens[last]?.text === 'another' ? [last] : undefined;
}
