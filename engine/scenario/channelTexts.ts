import type { Lang } from '../catalog.ts';
import type { Scenario } from './schema.ts';
import type { TextKey } from './textKeys.ts';

/**
 * The words a channel adds around the replies it renders — «В наличии», «Артикул», a list's
 * button, the body above buttons that came without words. They are scenario texts like any other,
 * so designers edit them in every language; the runtime hands a channel the set of the
 * conversation's language with each batch of replies.
 */
export const CHANNEL_TEXT_KEYS = [
  'channelInStock',
  'channelOutOfStock',
  'channelWasPrice',
  'channelSku',
  'channelChoose',
  'channelChooseButton',
  'channelListButton',
  'channelPickProduct',
  'channelProductsSection',
  'channelMoreSection',
  'channelWhatNext',
] as const satisfies readonly TextKey[];

export type ChannelTextKey = (typeof CHANNEL_TEXT_KEYS)[number];
export type ChannelTexts = Readonly<Record<ChannelTextKey, string>>;

// a scenario is immutable once parsed: its channel texts are picked once per language
const picked = new WeakMap<Scenario['texts'], Map<Lang, ChannelTexts>>();

/** The channel words of `lang`, each falling back to the scenario's default language. */
export function channelTexts(scenario: Pick<Scenario, 'texts' | 'defaultLang'>, lang: Lang): ChannelTexts {
  let byLang = picked.get(scenario.texts);
  if (!byLang) picked.set(scenario.texts, (byLang = new Map()));
  let texts = byLang.get(lang);
  if (!texts) {
    const own = scenario.texts[lang];
    const fallback = scenario.texts[scenario.defaultLang];
    texts = Object.fromEntries(CHANNEL_TEXT_KEYS.map((key) => [key, own[key] ?? fallback[key] ?? ''])) as ChannelTexts;
    byLang.set(lang, texts);
  }
  return texts;
}
