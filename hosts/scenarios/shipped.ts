import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as v from 'valibot';
import { parse } from 'yaml';
import {
  CHANNEL_TEXT_KEYS,
  LANGS,
  LATER_TEXT_KEYS,
  ORDER_TEXT_KEYS,
  RUNTIME_TEXT_KEYS,
  type ChannelTexts,
} from '../../engine/index.ts';
import { projectRoot } from '../platform/root.ts';

/** The scenario shipped with the platform; every bot runs it unless a designer assigns another. */
export const SHIPPED_SCENARIO = join(projectRoot(import.meta.url), 'scenarios', 'default.yaml');

const Texts = v.object({
  defaultLang: v.optional(v.string(), 'ru'),
  texts: v.record(v.string(), v.record(v.string(), v.string())),
});
type Shipped = v.InferOutput<typeof Texts>;

let shipped: Shipped | undefined;

function shippedScenario(): Shipped {
  if (!shipped) {
    const parsed = v.safeParse(Texts, parse(readFileSync(SHIPPED_SCENARIO, 'utf8')));
    shipped = parsed.success ? parsed.output : { defaultLang: 'ru', texts: {} };
  }
  return shipped;
}

/** The shipped scenario's channel words in `lang` (its default language when it has none in `lang`). */
export function shippedChannelTexts(lang?: string): ChannelTexts {
  const { defaultLang, texts } = shippedScenario();
  const own = texts[lang ?? defaultLang] ?? {};
  const fallback = texts[defaultLang] ?? {};
  return Object.fromEntries(CHANNEL_TEXT_KEYS.map((key) => [key, own[key] ?? fallback[key] ?? ''])) as ChannelTexts;
}

/** One of the shipped scenario's texts in `lang` (its default language when it has none in `lang`). */
export function shippedText(key: string, lang?: string): string {
  const { defaultLang, texts } = shippedScenario();
  return texts[lang ?? defaultLang]?.[key] ?? texts[defaultLang]?.[key] ?? '';
}

/** texts that came after designers had saved scenarios: the channel words, the order news, the flows' way out, the runtime's own */
const BORROWED_TEXT_KEYS: readonly string[] = [
  ...CHANNEL_TEXT_KEYS,
  ...ORDER_TEXT_KEYS,
  ...LATER_TEXT_KEYS,
  ...RUNTIME_TEXT_KEYS,
];

/**
 * The channel words, the order texts and the designer flows' way out became scenario texts after
 * designers had saved scenarios without them; such a scenario borrows each missing one from the
 * shipped default when it is loaded, so it keeps loading (and a designer sees the borrowed words to
 * edit). Anything else is left to the parser.
 */
export function withChannelTexts(raw: unknown): unknown {
  const texts = (raw as { texts?: unknown } | null)?.texts;
  if (typeof texts !== 'object' || texts === null) return raw;
  const filled: Record<string, unknown> = { ...texts };
  for (const lang of LANGS) {
    const own = filled[lang];
    if (typeof own !== 'object' || own === null) continue;
    const missing = BORROWED_TEXT_KEYS.filter((key) => !(key in own));
    if (missing.length === 0) continue;
    const defaults = shippedScenario().texts[lang] ?? {};
    const borrowed = missing.filter((key) => defaults[key] !== undefined).map((key) => [key, defaults[key]]);
    filled[lang] = { ...own, ...Object.fromEntries(borrowed) };
  }
  return { ...(raw as object), texts: filled };
}
