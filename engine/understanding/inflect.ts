/**
 * How a catalog word is written in a message: Russian case, number and diminutive endings, Kazakh
 * plural, case and possessive suffixes, English plurals. A word becomes one or more paradigms — a
 * stem and the endings it takes — so «стеллаж» is found as «стеллажи», «стеллажом», «стеллажик»,
 * «стеллаждар», and «графитовый» as «графитовая», «графитового». Language knowledge only: the words
 * themselves come from the taxonomy.
 */

export interface Endings {
  readonly set: ReadonlySet<string>;
  /** a stem with Kazakh letters takes any short suffix chain («орындықтарымызды») */
  readonly anyKazakh: boolean;
}
export interface Paradigm {
  readonly stem: string;
  readonly endings: Endings;
  /** spelled without Kazakh letters («кызыл» for «қызыл»): a short one counts only in Kazakh messages */
  readonly folded?: boolean;
}
export type WordLang = 'ru' | 'kk' | 'en';

const endings = (list: readonly string[], anyKazakh = false): Endings => ({ set: new Set(list), anyKazakh });

const RU_NOUN = ['', 'а', 'я', 'у', 'ю', 'о', 'ом', 'ем', 'е', 'ы', 'и', 'ь', 'ью', 'ов', 'ев', 'ей'];
const RU_NOUN_PLURAL = ['ам', 'ям', 'ами', 'ями', 'ах', 'ях', 'ой', 'ею'];
const RU_DIM = ['чик', 'чика', 'чику', 'чиком', 'чике', 'чики', 'чиков', 'чикам', 'ик', 'ика', 'ику', 'иком', 'ике'];
const RU_DIM_MORE = ['ики', 'иков', 'ок', 'очка', 'очку', 'очки', 'очек', 'очкой', 'очке', 'очками'];
const RU_ADJ = [
  ...['ый', 'ий', 'ой', 'ая', 'яя', 'ое', 'ее', 'ые', 'ие', 'ого', 'его', 'ому', 'ему'],
  ...['ым', 'им', 'ом', 'ем', 'ую', 'юю', 'ых', 'их', 'ыми', 'ими', 'ей'],
  ...['енький', 'енькая', 'енькое', 'енькие', 'енького', 'еньком', 'енькую', 'еньких', 'енькой'],
  ...['оватый', 'оватая', 'оватое', 'оватые', 'оватого', 'оватом', 'оватую', 'оватых'],
];
/** Kazakh case, plural and possessive suffixes in both vowel harmonies («диванды», «үстелдерге»). */
const KK = [
  ...['', 'ы', 'і', 'сы', 'сі', 'ды', 'ді', 'ты', 'ті', 'ны', 'ні', 'ға', 'ге', 'қа', 'ке', 'га', 'ка'],
  ...['ның', 'нің', 'дың', 'дің', 'тың', 'тің', 'да', 'де', 'та', 'те', 'дан', 'ден', 'тан', 'тен', 'нан', 'нен'],
  ...['ым', 'ім', 'ың', 'ің', 'мен', 'пен', 'бен', 'ын', 'ін', 'н', 'лы', 'лі', 'ша', 'ше', 'на', 'не'],
  ...['лар', 'лер', 'дар', 'дер', 'тар', 'тер', 'лары', 'лері', 'дары', 'дері', 'тары', 'тері'],
  ...['ларды', 'лерді', 'дарды', 'дерді', 'тарды', 'терді', 'ларға', 'лерге', 'дарға', 'дерге', 'тарға', 'терге'],
  ...['ларын', 'лерін', 'дарын', 'дерін', 'тарын', 'терін', 'сын', 'сін', 'сына', 'сіне', 'сында', 'сінде'],
];
const EN = ['', 's', 'es'];

export const EXACT = endings(['']);
const NOUN = endings([...RU_NOUN, ...RU_NOUN_PLURAL, ...RU_DIM, ...RU_DIM_MORE, ...KK]);
const NOUN_STEM = endings([...RU_NOUN, ...RU_NOUN_PLURAL, ...RU_DIM_MORE]);
const ADJ = endings(RU_ADJ);
const KAZAKH = endings(KK);
const KAZAKH_ANY = endings(KK, true);
const ENGLISH = endings(EN);

/** the longest ending any paradigm takes, bounding how much of a token is tried as an ending */
export const MAX_ENDING = Math.max(...[NOUN, ADJ, KAZAKH, ENGLISH].flatMap((e) => [...e.set].map((s) => s.length)));
/** the most a Kazakh suffix chain may add to a stem with Kazakh letters */
export const MAX_KAZAKH_CHAIN = 6;

export const KAZAKH_LETTERS = /[әғқңөұүһі]/;
const LATIN_WORD = /^[a-z'’]+$/;
const ADJECTIVE = /(?:ый|ий|ой|ая|яя|ое|ее|ые|ие)$/;
/** Kazakh plural and possessive endings a name may carry («Кереуеттер», «Кітап сөрелері»), longest first */
const KK_NAME_SUFFIX = /(?:лары|лері|дары|дері|тары|тері|лар|лер|дар|дер|тар|тер|сы|сі|ы|і)$/;
const FOLD_KAZAKH: Readonly<Record<string, string>> = {
  ә: 'а',
  ғ: 'г',
  қ: 'к',
  ң: 'н',
  ө: 'о',
  ұ: 'у',
  ү: 'у',
  һ: 'х',
  і: 'и',
};

export const foldKazakh = (word: string): string => word.replace(/[әғқңөұүһі]/g, (ch) => FOLD_KAZAKH[ch] ?? ch);

/** a Russian adjective by its ending («кухонный», «прихожая», «детское») */
export const isAdjective = (word: string): boolean => word.length >= 5 && ADJECTIVE.test(word);

/** the language a synonym is written in, when the taxonomy does not say */
export function guessLang(word: string): WordLang {
  if (LATIN_WORD.test(word)) return 'en';
  return KAZAKH_LETTERS.test(word) ? 'kk' : 'ru';
}

/** The stems and endings under which `word` (lower case, ё as е) may appear in a message. */
export function paradigmsOf(word: string, lang: WordLang): Paradigm[] {
  if (word.length <= 2 || /\d/.test(word)) {
    const folded = foldKazakh(word);
    return folded === word
      ? [{ stem: word, endings: EXACT }]
      : [
          { stem: word, endings: EXACT },
          { stem: folded, endings: EXACT, folded: true },
        ];
  }
  if (LATIN_WORD.test(word)) return english(word);
  if (lang === 'kk' || KAZAKH_LETTERS.test(word)) return kazakh(word);
  return russian(word);
}

function russian(word: string): Paradigm[] {
  const out: Paradigm[] = [{ stem: word, endings: EXACT }];
  const last = word.at(-1)!;
  if (isAdjective(word)) {
    out.push({ stem: word.slice(0, -2), endings: ADJ });
    return out;
  }
  if ('бвгджзклмнпрстфхцчшщ'.includes(last)) {
    out.push({ stem: word, endings: NOUN });
    return withFleetingVowel(out, word);
  }
  const stem = word.slice(0, -1);
  if (stem.length < 2) return out;
  // «кровать», «кресло», «тумба», «стулья», and plural names: «Диваны», «Кровати», «Зеркала»
  if ('ьаяоеыи'.includes(last)) out.push({ stem, endings: NOUN_STEM });
  if ('аяое'.includes(last)) out.push({ stem: word, endings: KAZAKH });
  return withFleetingVowel(out, stem);
}

/** genitive plurals that grow a vowel: «полок», «тумбочек», «стенок», «кресел» */
function withFleetingVowel(out: Paradigm[], stem: string): Paradigm[] {
  const m = /^(.*[бвгджзклмнпрстфхцчшщ])([кл])$/.exec(stem);
  if (!m || stem.length < 4) return out;
  const soft = /[чшжщй]$/.test(m[1]!) || m[2] === 'л';
  out.push({ stem: `${m[1]}${soft ? 'е' : 'о'}${m[2]}`, endings: EXACT });
  return out;
}

function kazakh(word: string): Paradigm[] {
  const bare = word.replace(KK_NAME_SUFFIX, '');
  const out: Paradigm[] = [{ stem: word, endings: EXACT }];
  for (const stem of bare !== word && bare.length >= 3 ? [word, bare] : [word]) {
    out.push({ stem, endings: KAZAKH_LETTERS.test(stem) && stem.length >= 4 ? KAZAKH_ANY : KAZAKH });
    const folded = foldKazakh(stem);
    if (folded !== stem) out.push({ stem: folded, endings: KAZAKH, folded: true });
  }
  // Russian loanwords in Kazakh names take Russian endings too («Дивандар» → «диваны»)
  const stem = bare.length >= 3 ? bare : word;
  if (!KAZAKH_LETTERS.test(stem)) out.push(...russian(stem).slice(1));
  return out;
}

function english(word: string): Paradigm[] {
  const singular = /(?:ss|sh|ch|x)es$/.test(word)
    ? word.slice(0, -2)
    : /[^s]s$/.test(word) && word.length > 3
      ? word.slice(0, -1)
      : word;
  const out: Paradigm[] = [{ stem: word, endings: EXACT }];
  if (singular.length >= 3) out.push({ stem: singular, endings: ENGLISH });
  return out;
}
