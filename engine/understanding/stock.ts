/**
 * «Включая отсутствующие», «даже если нет в наличии», «под заказ»: the shopper wants goods out of
 * stock offered too. By default search leaves them out, so this is a search criterion of its own;
 * the phrase is taken out of the message so its words do not become free-text search terms.
 */

const W = '[\\p{L}\\p{N}]';
/** a word edge that knows Cyrillic (JavaScript's `\b` does not) */
const EDGE = `(?<!${W})`;
const END = `(?!${W})`;

const ASK_ALL = new RegExp(
  [
    // ru
    'включая\\s+(?:и\\s+)?(?:отсутствующ\\p{L}*|(?:те|тех|товары)?,?\\s*(?:которых|что|каких)\\s+нет(?:\\s+в\\s+наличии)?|нет\\p{L}*\\s+в\\s+наличии)',
    'в\\s+том\\s+числе\\s+(?:и\\s+)?(?:отсутствующ\\p{L}*|(?:которых|что)\\s+нет(?:\\s+в\\s+наличии)?)',
    'даже\\s+(?:если|когда|тех,?|те,?)?\\s*(?:которых\\s+|что\\s+|его\\s+|её\\s+|ее\\s+|их\\s+)?(?:сейчас\\s+)?нет(?:\\s+в\\s+наличии)?',
    '(?:и|тоже|также|а\\s+также)\\s+(?:отсутствующ\\p{L}*|(?:которых|что)\\s+нет\\s+в\\s+наличии)',
    'нет\\s+в\\s+наличии\\s+(?:тоже|тож|также|можно|покажи\\p{L}*)',
    'отсутствующ\\p{L}*\\s+(?:тоже|тож|также)',
    '(?:под|на)\\s+заказ\\p{L}*',
    // en
    'including\\s+(?:out[\\s-]+of[\\s-]+stock|unavailable|sold[\\s-]+out)',
    "even\\s+(?:if\\s+)?(?:it\\s+is\\s+|it'?s\\s+|they\\s+are\\s+|they'?re\\s+)?(?:out[\\s-]+of[\\s-]+stock|unavailable|sold[\\s-]+out)",
    '(?:out[\\s-]+of[\\s-]+stock|unavailable|sold[\\s-]+out)\\s+(?:too|as\\s+well|included)',
    '(?:made\\s+)?to\\s+order',
    // kk
    '(?:қоймада\\s+|қолда\\s+)?жоқ(?:\\s+болса|\\p{L}*)\\s+да',
    'тапсырыс(?:пен|қа)',
  ]
    .map((p) => `${EDGE}(?:${p})${END}`)
    .join('|'),
  'giu',
);

export type StockRequest = {
  /** the message without the phrase */
  text: string;
  includeUnavailable: boolean;
};

export function takeStockRequest(text: string): StockRequest {
  let found = false;
  const rest = text.replace(ASK_ALL, () => {
    found = true;
    return ' ';
  });
  return { text: found ? rest : text, includeUnavailable: found };
}
