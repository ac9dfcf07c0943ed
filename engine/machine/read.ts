import { LANGS, type Lang } from '../catalog.ts';
import type { EngineEvent } from '../events.ts';
import type { Intent, IntentName } from '../intent.ts';

/**
 * What an event says, read the same way by guards (whether a transition is taken) and actions
 * (what it then does): the intent understood, the language a button or command names, a label's words.
 */
export const isLang = (x: string | undefined): x is Lang => (LANGS as readonly string[]).includes(x ?? '');

type IntentOf<N extends IntentName> = Extract<Intent, { name: N }>;

/** the understood intent, when it is `name` */
export const intentOf = <N extends IntentName>(event: EngineEvent, name: N): IntentOf<N> | null =>
  event.type === 'understand.done' && event.understanding.intent.name === name
    ? (event.understanding.intent as IntentOf<N>)
    : null;
/** the language a `lang:<code>` button or a `/lang <code>` command names */
export const choiceLang = (id: string) => {
  const lang = id.slice(5);
  return id.startsWith('lang:') && isLang(lang) ? lang : null;
};
export const commandLang = (args: string | undefined) => {
  const lang = args?.trim().toLowerCase();
  return isLang(lang) ? lang : null;
};
/** a label as words: case, ё, emoji and punctuation aside */
export const labelWords = (text: string) =>
  text
    .toLowerCase()
    .replace(/ё/g, 'е')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
/** the SKU a price-alert intent names, if any */
export const alertSkuOf = (event: EngineEvent) => intentOf(event, 'create_price_alert')?.args.sku ?? null;
