import { SKU_PATTERN } from '../../engine/catalog.ts';
import { fold } from './vocabulary.ts';

/**
 * Turns shopper text into safe search terms. Only letters and digits survive, so SQL and
 * tsquery syntax (`'`, `&`, `|`, `!`, `:*`, `\`, `(`, …) in user text can never reach a parser —
 * every token is also bound as a parameter, never spliced into SQL.
 */
export type ParsedQuery = {
  /** folded word tokens used for matching (stop words, numbers, one-letter tokens removed) */
  tokens: string[];
  /** SKU-looking tokens, upper-cased (`sofa-001` → `SOFA-001`) */
  skus: string[];
};

const STOP_WORDS = new Set([
  // ru
  'и',
  'в',
  'во',
  'на',
  'с',
  'со',
  'для',
  'по',
  'до',
  'от',
  'из',
  'к',
  'ко',
  'у',
  'о',
  'об',
  'а',
  'но',
  'или',
  'не',
  'ни',
  'же',
  'ли',
  'мне',
  'меня',
  'я',
  'мы',
  'вы',
  'ты',
  'нам',
  'вам',
  'хочу',
  'хотим',
  'хотел',
  'хотела',
  'нужен',
  'нужна',
  'нужно',
  'нужны',
  'надо',
  'есть',
  'какой',
  'какая',
  'какие',
  'какое',
  'покажи',
  'покажите',
  'показать',
  'найди',
  'найдите',
  'ищу',
  'ищем',
  'подберите',
  'подбери',
  'купить',
  'пожалуйста',
  'please',
  'хочется',
  'можно',
  'что',
  'то',
  'это',
  'этот',
  'эта',
  'бы',
  'был',
  'была',
  'было',
  'тыс',
  'тысяч',
  'тг',
  'тенге',
  'руб',
  'цена',
  'цене',
  'цену',
  'стоимость',
  'недорого',
  'недорогой',
  'недорогие',
  'дешевый',
  'дешевле',
  'подешевле',
  'дешево',
  'бюджетный',
  'под',
  'около',
  'примерно',
  'штук',
  'шт',
  'еще',
  'ещё',
  'вариант',
  'варианты',
  'товар',
  'товары',
  'мебель',
  'мебели',
  'без',
  'при',
  'все',
  'всё',
  'его',
  'ее',
  'её',
  'их',
  'как',
  'так',
  'там',
  'тут',
  'уже',
  'чем',
  'чтобы',
  'где',
  'когда',
  'очень',
  'только',
  'над',
  'через',
  'был',
  'будет',
  // en
  'the',
  'a',
  'an',
  'for',
  'with',
  'and',
  'or',
  'of',
  'in',
  'to',
  'i',
  'want',
  'need',
  'show',
  'me',
  'find',
  'buy',
  'some',
  'any',
  'under',
  'cheap',
  // kk
  'және',
  'үшін',
  'маған',
  'керек',
  'бар',
  'ма',
  'ме',
  'ба',
  'бе',
  'па',
  'пе',
  'көрсет',
  'көрсетіңіз',
  'іздеймін',
  'қажет',
  'арзан',
  'бағасы',
  'теңге',
  'жиһаз',
]);

const SKU_CANDIDATE = /[a-z0-9]{2,12}(?:-[a-z0-9]{1,12}){1,3}/gi;

export function parseQuery(raw: string | undefined): ParsedQuery {
  if (!raw) return { tokens: [], skus: [] };
  const text = fold(raw.normalize('NFC')).slice(0, 200);
  const skus = [
    ...new Set(
      (text.match(SKU_CANDIDATE) ?? []).map((s) => s.toUpperCase()).filter((s) => SKU_PATTERN.test(s) && /\d/.test(s)),
    ),
  ];
  const tokens: string[] = [];
  for (const token of text.split(/[^\p{L}\p{N}]+/u)) {
    if (token.length < 2 || STOP_WORDS.has(token)) continue;
    if (/^\d+$/.test(token)) continue; // prices and quantities are structured slots, not words
    if (skus.some((sku) => sku.toLowerCase().split('-').includes(token))) continue;
    if (!tokens.includes(token)) tokens.push(token);
    if (tokens.length >= 8) break;
  }
  return { tokens, skus };
}

/** `tok:*` prefix term; tokens are letters/digits only (see parseQuery), so this is safe tsquery text */
export const prefixTerm = (token: string): string => `${token}:*`;
