import * as v from 'valibot';

/**
 * What a bot config's `settings` may hold, each read by the platform on every turn or send:
 * `model` and `maxTokens` go to the model call that classifies a shopper's message;
 * `templateLang`, `templateLangs` and `templateParams` shape the WhatsApp template sent outside the 24-hour
 * window. Greeting, language, memory length and manager timing belong to the scenario a bot
 * config picks, and the classifier always runs at temperature 0, so none of those is a setting.
 */

export const TEMPLATE_PARAMS = ['text', 'productName', 'price'] as const;
export type TemplateParamName = (typeof TEMPLATE_PARAMS)[number];

/** a tool call needs a few dozen tokens; reasoning models spend thousands before it */
export const MAX_TOKENS_RANGE = { min: 50, max: 16_000 } as const;

export const BOT_SETTING_SCHEMAS = {
  model: v.pipe(
    v.string('model is a model name such as gpt-4o-mini'),
    v.regex(/^[A-Za-z0-9._:-]{1,100}$/, 'model is a model name such as gpt-4o-mini'),
  ),
  maxTokens: v.pipe(
    v.number('maxTokens is a whole number'),
    v.integer('maxTokens is a whole number'),
    v.minValue(MAX_TOKENS_RANGE.min, `maxTokens is at least ${MAX_TOKENS_RANGE.min}`),
    v.maxValue(MAX_TOKENS_RANGE.max, `maxTokens is at most ${MAX_TOKENS_RANGE.max}`),
  ),
  templateLang: v.pipe(
    v.string('templateLang is a language code'),
    v.regex(
      /^[a-z]{2,3}(?:_[A-Z]{2})?$/,
      "templateLang is the template's language code as approved by Meta, e.g. ru, kk, en_US",
    ),
  ),
  templateLangs: v.pipe(
    v.array(
      v.pipe(
        v.string(),
        v.regex(
          /^[a-z]{2,3}(?:_[A-Z]{2})?$/,
          'templateLangs are language codes as approved by Meta, e.g. ru, kk, en_US',
        ),
      ),
      'templateLangs is a list',
    ),
    v.maxLength(10, 'templateLangs names at most 10 languages'),
  ),
  templateParams: v.pipe(
    v.array(
      v.picklist(TEMPLATE_PARAMS, `templateParams are ${TEMPLATE_PARAMS.join(', ')}`),
      'templateParams is a list',
    ),
    v.minLength(1, 'templateParams names at least one parameter'),
    v.maxLength(10, 'templateParams names at most 10 parameters'),
  ),
} as const;

export type BotSettings = {
  model?: string;
  maxTokens?: number;
  templateLang?: string;
  /** the other languages the template is approved in: a shopper speaking one of them gets it in theirs */
  templateLangs?: string[];
  templateParams?: TemplateParamName[];
};

export const BOT_SETTING_NAMES = Object.keys(BOT_SETTING_SCHEMAS) as (keyof BotSettings)[];

/** the settings as written: only known keys, each valid */
export const BotSettingsSchema = v.strictObject({
  model: v.optional(BOT_SETTING_SCHEMAS.model),
  maxTokens: v.optional(BOT_SETTING_SCHEMAS.maxTokens),
  templateLang: v.optional(BOT_SETTING_SCHEMAS.templateLang),
  templateLangs: v.optional(BOT_SETTING_SCHEMAS.templateLangs),
  templateParams: v.optional(BOT_SETTING_SCHEMAS.templateParams),
});

/**
 * The settings as stored, for the code that acts on them: each known key that is valid, the rest
 * left out (a row written by hand must not stop a bot).
 */
export function readBotSettings(stored: unknown): BotSettings {
  const raw = typeof stored === 'string' ? safeJson(stored) : stored;
  if (!raw || typeof raw !== 'object') return {};
  const out: Record<string, unknown> = {};
  for (const name of BOT_SETTING_NAMES) {
    const parsed = v.safeParse(BOT_SETTING_SCHEMAS[name], (raw as Record<string, unknown>)[name]);
    if (parsed.success) out[name] = parsed.output;
  }
  return out as BotSettings;
}

function safeJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
