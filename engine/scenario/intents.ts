import * as v from 'valibot';
import { LANGS, type Lang } from '../catalog.ts';
import { buildVocabulary, understandText, type Vocabulary } from '../understanding/index.ts';

/**
 * A scenario's own intents (`intents:`): names, example phrases in every language, optional
 * keywords, and the designer flow each starts. The rules brain matches them (understanding/
 * designer.ts), the OpenAI brain gets them as a tool. At load every example is run through the
 * rules brain: one that means something else is an error naming both.
 */

export const MAX_DESIGNER_INTENTS = 100;
const NAME = /^[a-z0-9_-]{1,64}$/;

const Phrase = v.pipe(v.string(), v.trim(), v.minLength(1, 'empty phrase'), v.maxLength(200, 'at most 200 characters'));
const Examples = v.pipe(
  v.array(Phrase),
  v.minLength(1, 'at least one example'),
  v.maxLength(50, 'at most 50 examples'),
);
const Keywords = v.pipe(
  v.array(v.pipe(v.string(), v.trim(), v.minLength(2, 'a keyword has 2 characters or more'), v.maxLength(60))),
  v.maxLength(30, 'at most 30 keywords'),
);

export const DesignerIntentSchema = v.object({
  examples: v.object({ ru: Examples, kk: Examples, en: Examples }),
  keywords: v.optional(v.object({ ru: v.optional(Keywords), kk: v.optional(Keywords), en: v.optional(Keywords) })),
  /** the designer flow the intent starts (that it exists is checked with the flows) */
  flow: v.optional(v.pipe(v.string(), v.regex(NAME, 'a flow name is 1–64 of a-z, 0-9, "_", "-"'))),
});

export const DesignerIntentsSchema = v.pipe(
  v.record(v.pipe(v.string(), v.regex(NAME, 'an intent name is 1–64 of a-z, 0-9, "_", "-"')), DesignerIntentSchema),
  v.check((r) => Object.keys(r).length <= MAX_DESIGNER_INTENTS, `at most ${MAX_DESIGNER_INTENTS} designer intents`),
);

/** A designer intent after validation. */
export type ScenarioIntent = {
  readonly examples: Readonly<Record<Lang, readonly string[]>>;
  readonly keywords: Readonly<Record<Lang, readonly string[]>>;
  readonly flow?: string;
};
/** by name, in the order the scenario declares them (the earlier wins a tie) */
export type ScenarioIntents = Readonly<Record<string, ScenarioIntent>>;

export function toScenarioIntents(raw: v.InferOutput<typeof DesignerIntentsSchema>): ScenarioIntents {
  return Object.fromEntries(
    Object.entries(raw).map(([name, intent]) => [
      name,
      {
        examples: intent.examples,
        keywords: { ru: intent.keywords?.ru ?? [], kk: intent.keywords?.kk ?? [], en: intent.keywords?.en ?? [] },
        ...(intent.flow !== undefined ? { flow: intent.flow } : {}),
      },
    ]),
  );
}

/** no catalog words: examples are checked against the rules that come before designer intents, which use none */
let noCatalog: Vocabulary | undefined;

/** Every example and keyword, alone, must mean its own intent to the rules brain; errors name it and what it means instead. */
export function checkIntentExamples(intents: ScenarioIntents): Array<{ path: string; message: string }> {
  const errors: Array<{ path: string; message: string }> = [];
  const entries = Object.entries(intents);
  if (entries.length === 0) return errors;
  noCatalog ??= buildVocabulary({ categories: [], attributes: [] });
  for (const [name, intent] of entries) {
    for (const lang of LANGS) {
      const phrases = [
        ...intent.examples[lang].map((text, i) => ({ text, kind: 'example', path: `examples.${lang}.${i}` })),
        ...intent.keywords[lang].map((text, i) => ({ text, kind: 'keyword', path: `keywords.${lang}.${i}` })),
      ];
      for (const { text: example, kind, path } of phrases) {
        const got = understandText(example, { lang, intents }, noCatalog!).intent;
        if (got.name === 'designer' && got.args.intent === name) continue;
        const meaning =
          got.name === 'designer'
            ? `designer intent "${got.args.intent}"`
            : got.name === 'unknown'
              ? "nothing (no word of it is the intent's own — add words or a keyword)"
              : `built-in intent "${got.name}"`;
        errors.push({
          path: `intents.${name}.${path}`,
          message: `${kind} "${example}" of "${name}" is understood as ${meaning}`,
        });
      }
    }
  }
  return errors;
}
