import type { Lang } from '../catalog.ts';
import type { Token } from './normalize.ts';

/**
 * Which language the shopper wrote in — only when it can be told. Kazakh letters (әғқңөұүһі) or
 * common Kazakh words written without them → kk; Latin words → en; other Cyrillic → ru. Words
 * shared by Russian and Kazakh («диван», «шкаф», «менеджер») say nothing on their own.
 */

const KK_LETTERS = /[әғқңөұүһі]/;
const KK_WORDS = new Set([
  'керек',
  'рахмет',
  'рахмет',
  'салем',
  'салеметсиз',
  'сау',
  'болыныз',
  'калайсын',
  'калай',
  'кандай',
  'канша',
  'тагы',
  'маган',
  'бага',
  'багасы',
  'жок',
  'жане',
  'кайда',
  'бар',
  'ма',
  'ме',
  'ба',
  'бе',
  'па',
  'пе',
  'иа',
  'ия',
  'жаксы',
  'кызыл',
  'сары',
  'кара',
  'жасыл',
  'коныр',
  'сур',
  'агаш',
  'былгары',
  'мата',
  'бер',
  'берниз',
  'корсет',
  'корсетиниз',
  'усынып',
  'алгым',
  'келеди',
  'орысша',
  'агылшынша',
  'казакша',
  'мен',
  'сен',
  'сиз',
  'биз',
  'деген',
  'туралы',
  'емес',
  'ушин',
  'арзан',
  'кымбат',
  'мын',
  'тенгеге',
  'дейин',
  'керуэт',
  'кереует',
  // buying: «2 дана», «алып кету»
  'дана',
  'алып',
  'кету',
]);
/** Kazakh stems typed without Kazakh letters («саламатсызба», «арзанырак», «корсетиниз») */
const KK_STEMS =
  /^(?:саламат|салемет|арзаны|арзанд|кымбаты|корсет|рахмет|керек|калай|кандай|тагы|агылшын|орысша|казакша|себет|тапсырыс|расимде)/;

/** words both languages use, or that are too short to tell */
const SHARED = new Set([
  'диван',
  'шкаф',
  'кресло',
  'комод',
  'матрас',
  'пуф',
  'тумба',
  'менеджер',
  'оператор',
  'ок',
  'окей',
  'да',
  'нет',
  'стол',
  'артикул',
  'арт',
  'тг',
  'к',
  'т',
  'р',
  'ай',
  'ау',
  'мдф',
  'лдсп',
  'тв',
  'кз',
  'а',
  'и',
  'о',
  'у',
  'в',
  'с',
  'я',
]);
const EN_NOISE = new Set(['k', 'kzt', 'tv', 'mdf', 'ok', 'okay', 'lol', 'm', 'x', 'sku', 'pu', 'tg']);

export function detectLang(tokens: readonly Token[]): Lang | undefined {
  let cyr = 0;
  let lat = 0;
  let kk = 0;
  for (const t of tokens) {
    if (t.kind !== 'word') continue;
    const w = t.text;
    if (KK_LETTERS.test(w)) {
      kk += 2;
      continue;
    }
    if (/^[a-z']+$/.test(w)) {
      if (!EN_NOISE.has(w)) lat++;
      continue;
    }
    if (/[а-я]/.test(w)) {
      if (KK_WORDS.has(w) || KK_STEMS.test(w) || sharedWithKazakhSuffix(w)) kk++;
      else if (!SHARED.has(w)) cyr++;
    }
  }
  if (kk > 0 && kk >= cyr) return 'kk';
  if (lat > 0 && lat > cyr + kk) return 'en';
  if (cyr > 0 && cyr >= lat) return kk > cyr ? 'kk' : 'ru';
  return undefined;
}

const KK_SUFFIX =
  /(?:лар|лер|дар|дер|тар|тер|ды|ді|ты|ті|ны|ні|ға|ге|қа|ке|ның|нің|дың|дің|тың|тің|дан|ден|нан|нен|тан|тен|ларды|лерді|дарды|дерді|тарды|терді)$/;

/** «креслолар», «диванды», «шкафтар»: a shared stem with a Kazakh ending is Kazakh */
function sharedWithKazakhSuffix(word: string): boolean {
  const m = KK_SUFFIX.exec(word);
  if (!m) return false;
  const stem = word.slice(0, m.index);
  return stem.length >= 3 && SHARED.has(stem);
}
