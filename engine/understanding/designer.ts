import type { Lang } from '../catalog.ts';
import type { Token } from './normalize.ts';
import { KAZAKH_LETTERS } from './inflect.ts';
import { RULES } from './rules.ts';
import { buildWordIndex, wordsOfText, type Vocabulary } from './vocabulary.ts';
import { lookupWord } from './wordLookup.ts';
import { MORE_WORDS, STOP_WORDS } from './words.ts';

/**
 * A scenario's own intents (its `intents:` section) for the rules brain. The examples and keywords
 * become a word index with the catalog's normalisation (inflections, typos, Kazakh suffixes,
 * Latin/Cyrillic spellings), compiled once per scenario object and cached by it, so a message costs
 * one lookup per word. A message means an intent when one of its keywords is in the message, or
 * when the message covers at least half of one of its examples (words several intents share count
 * less). Words a built-in rule answers to on their own («помощь», «меню», «спасибо») and the
 * catalog's words in the message («red», «диван», a price) are the built-in's: they never make a
 * designer match alone, so built-in intents win ties.
 */

export interface DesignerIntent {
  readonly examples: Readonly<Record<Lang, readonly string[]>>;
  readonly keywords?: Readonly<Partial<Record<Lang, readonly string[]>>>;
}

/**
 * A scenario's intents by name, in the order the scenario declares them (JavaScript keeps that order
 * for names that are not numbers).
 */
export type DesignerIntents = Readonly<Record<string, DesignerIntent>>;

/** the share of an example's words a message must cover */
export const EXAMPLE_COVERAGE = 0.5;

/**
 * Russian derivation the catalog's paradigms do not need: the verbs beside a designer's nouns
 * («замер» → «замерьте», «замерить»; «доставка» → «доставите»). Both sides are cut to a root by the
 * longest of these suffixes; roots of four letters or more are compared.
 */
const RU_DERIVATION =
  /(?:ение|ание|щика|щику|щики|щик|ить|ать|ять|еть|ите|ьте|ете|ишь|кой|ка|ки|ку|ке|ит|ят|ил|ила|или|ило|ут|ют|ю|у|ь)$/;
const MIN_ROOT = 4;

/**
 * Kazakh examples are written inflected («төлеуге», «өлшеушіні»); the paradigm of the bare stem takes
 * every suffix back, so the designer's word is stored as its stem.
 */
const KK_CASE =
  /(?:лардан|лерден|ларға|лерге|ларды|лерді|ларда|лерде|дан|ден|тан|тен|нан|нен|ның|нің|дың|дің|тың|тің|мен|бен|пен|ға|ге|қа|ке|да|де|та|те|ды|ді|ты|ті|ны|ні)$/;
function kazakhStem(word: string, lang: Lang): string {
  if (lang !== 'kk' || !KAZAKH_LETTERS.test(word)) return word;
  const stem = word.replace(KK_CASE, '');
  return stem.length >= 4 ? stem : word;
}
function rootOf(word: string): string | undefined {
  if (!/^[а-я]+$/.test(word)) return undefined;
  const root = word.replace(RU_DERIVATION, '');
  return root.length >= MIN_ROOT && root !== word ? root : word.length >= MIN_ROOT ? word : undefined;
}

interface Compiled {
  readonly index: Vocabulary;
  /** Russian roots of the designer's words, for the verbs beside their nouns */
  readonly roots: ReadonlyMap<string, readonly number[]>;
  /** by intent: each example as word ids, and each keyword as word ids (a keyword may be two words) */
  readonly intents: ReadonlyArray<{ name: string; examples: number[][]; keywords: number[][] }>;
  /** by word id: how much the word says (1 / the number of intents that use it) */
  readonly weight: readonly number[];
  /** by word id: a built-in rule answers to the word alone */
  readonly builtIn: readonly boolean[];
  /** by word id: the intents (by index) that use it, so a message scores only the intents it touches */
  readonly users: readonly (readonly number[])[];
}

const compiled = new WeakMap<DesignerIntents, Compiled>();

/** the words of a phrase that carry its meaning */
const contentWords = (text: string): string[] => wordsOfText(text).filter((w) => w.length >= 2 && !STOP_WORDS.has(w));

const BUILT_IN_RULES = [
  RULES.escalate,
  RULES.help,
  RULES.helpQuestion,
  RULES.menu,
  RULES.greeting,
  RULES.thanks,
  RULES.bye,
  RULES.smalltalk,
  RULES.forget,
  RULES.langKk,
  RULES.langRu,
  RULES.langEn,
];
const answersBuiltIn = (word: string): boolean =>
  MORE_WORDS.has(word) || BUILT_IN_RULES.some((rule) => rule.test(` ${word} `));

function compile(intents: DesignerIntents): Compiled {
  const words: Array<[string, Lang]> = [];
  const phrases = Object.entries(intents).map(([name, intent]) => {
    const of = (texts: Partial<Record<Lang, readonly string[]>> | undefined) =>
      (['ru', 'kk', 'en'] as const).flatMap((lang) =>
        (texts?.[lang] ?? []).map((text) => {
          const content = contentWords(text);
          const start = words.length;
          for (const w of content) words.push([kazakhStem(w, lang), lang]);
          return content.map((_, i) => start + i);
        }),
      );
    return { name, examples: of(intent.examples), keywords: of(intent.keywords) };
  });
  const { vocabulary, ids } = buildWordIndex(words);
  const toIds = (positions: number[][]) => positions.map((p) => [...new Set(p.map((i) => ids[i]!))]);
  const resolved = phrases.map((p) => ({ name: p.name, examples: toIds(p.examples), keywords: toIds(p.keywords) }));

  const users = new Map<number, Set<number>>();
  resolved.forEach((intent, i) => {
    for (const phrase of [...intent.examples, ...intent.keywords])
      for (const id of phrase) users.set(id, (users.get(id) ?? new Set()).add(i));
  });
  const weight: number[] = [];
  const builtIn: boolean[] = [];
  const roots = new Map<string, number[]>();
  words.forEach(([word], i) => {
    const id = ids[i]!;
    const root = rootOf(word);
    if (root !== undefined) {
      const list = roots.get(root) ?? [];
      if (!list.includes(id)) roots.set(root, [...list, id]);
    }
    weight[id] = 1 / (users.get(id)?.size ?? 1);
    builtIn[id] = (builtIn[id] ?? false) || answersBuiltIn(word);
  });
  const byWord: number[][] = [];
  for (const [id, set] of users) byWord[id] = [...set].sort((a, b) => a - b);
  return { index: vocabulary, roots, intents: resolved, weight, builtIn, users: byWord };
}

function compiledOf(intents: DesignerIntents): Compiled {
  let c = compiled.get(intents);
  if (!c) {
    c = compile(intents);
    compiled.set(intents, c);
  }
  return c;
}

/**
 * The designer intent a message means, or undefined. Ties between designer intents: the higher
 * score, then the earlier intent in the scenario.
 */
export function matchDesignerIntent(
  intents: DesignerIntents,
  tokens: readonly Token[],
  /** tokens the catalog's words or a price took («red», «диван», «до 100к») */
  catalog: readonly boolean[],
  kazakh: boolean,
): string | undefined {
  const c = compiledOf(intents);
  if (c.intents.length === 0) return undefined;
  const found = new Set<number>();
  /** words found through a token that is not the catalog's: only these can make a match */
  const own = new Set<number>();
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    // filler words are never an example's words (contentWords drops them too)
    if (t.kind !== 'word' || t.text.length < 2 || STOP_WORDS.has(t.text)) continue;
    let ids = lookupWord(c.index, t.text, kazakh, false);
    if (ids.length === 0) {
      const root = rootOf(t.text);
      ids = (root !== undefined && c.roots.get(root)) || [];
    }
    for (const id of ids) {
      found.add(id);
      if (!catalog[i] && !c.builtIn[id]) own.add(id);
    }
  }
  if (own.size === 0) return undefined;
  const touched = new Set<number>();
  for (const id of own) for (const i of c.users[id] ?? []) touched.add(i);
  if (touched.size === 0) return undefined;

  let best: string | undefined;
  let bestScore = 0;
  for (const i of [...touched].sort((a, b) => a - b)) {
    const intent = c.intents[i]!;
    let score = 0;
    for (const keyword of intent.keywords)
      if (keyword.length > 0 && keyword.every((id) => found.has(id)) && keyword.some((id) => own.has(id))) score = 1;
    for (const example of intent.examples) {
      if (score >= 1) break;
      let covered = 0;
      let total = 0;
      let ownHit = false;
      for (const id of example) {
        total += c.weight[id]!;
        if (!found.has(id)) continue;
        covered += c.weight[id]!;
        if (own.has(id)) ownHit = true;
      }
      if (ownHit && total > 0) score = Math.max(score, covered / total);
    }
    if (score >= EXAMPLE_COVERAGE && score > bestScore) {
      best = intent.name;
      bestScore = score;
    }
  }
  return best;
}
