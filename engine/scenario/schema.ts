import * as v from 'valibot';
import { CategorySchema, CHANNELS, LANGS, LangSchema, type Category, type Channel, type Lang } from '../catalog.ts';
import { INTENT_NAMES, MENU_FLOWS, RELAXABLE, ROUTES, type Relaxable, type Route } from './routes.ts';
import type { IntentName } from '../intent.ts';
import { DesignerIntentsSchema, type ScenarioIntents } from './intents.ts';
import { NAME, RawFlowsSchema, type Flow } from './flowSchema.ts';

/** The scenario as a designer writes it (YAML or JSON). Defaults are filled in by `parseScenario`. */

const Duration = v.union([v.pipe(v.number(), v.minValue(0)), v.pipe(v.string(), v.minLength(2), v.maxLength(40))]);
const PerLang = v.object({
  ru: v.pipe(v.string(), v.minLength(1)),
  kk: v.pipe(v.string(), v.minLength(1)),
  en: v.pipe(v.string(), v.minLength(1)),
});
/** a scenario text: at most a Telegram message, so a pasted megabyte is a load error */
const Texts = v.record(v.string(), v.pipe(v.string(), v.maxLength(4_096, 'text is longer than 4096 characters')));
const Count = (min: number, max: number) => v.pipe(v.number(), v.integer(), v.minValue(min), v.maxValue(max));

/** the calm reply to a shopper over `limits.messagesPerMinute`, for scenarios written before it existed */
const TOO_MANY_MESSAGES = {
  ru: 'Вы пишете быстрее, чем я успеваю отвечать 🙂 Подождите минуту — я продолжу. Ваши сообщения сохранены.',
  kk: 'Сіз мен жауап беріп үлгергеннен жылдам жазып жатырсыз 🙂 Бір минут күтіңіз — мен жалғастырамын. Хабарламаларыңыз сақталды.',
  en: "You're writing faster than I can answer 🙂 Please wait a minute and I'll carry on. Your messages are saved.",
};

export const MenuActionSchema = v.variant('flow', [
  v.object({
    flow: v.literal('search'),
    query: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(200))),
    category: v.optional(CategorySchema),
  }),
  v.object({ flow: v.literal('escalation') }),
  v.object({ flow: v.literal('help') }),
  v.object({ flow: v.literal('language') }),
  v.object({ flow: v.literal('alerts') }),
  /** shows the shopper's cart */
  v.object({ flow: v.literal('cart') }),
  /** shows a text from `texts` (delivery, payment, addresses…) */
  v.object({ flow: v.literal('info'), text: v.pipe(v.string(), v.minLength(1)) }),
  /** starts the designer flow `name` (scenario `flows:`) */
  v.object({
    flow: v.literal('designer'),
    name: v.pipe(v.string(), v.regex(NAME, 'flow name must be 1–64 of a-z 0-9 _ -')),
  }),
]);
export type MenuAction = v.InferOutput<typeof MenuActionSchema>;

export const MenuItemSchema = v.object({
  /** becomes the choice id `menu:<id>`, so it stays short and safe for callback_data */
  id: v.pipe(v.string(), v.regex(/^[a-z0-9_-]{1,32}$/, 'menu id must be 1–32 of a-z 0-9 _ -')),
  label: PerLang,
  action: MenuActionSchema,
});
export type MenuItem = v.InferOutput<typeof MenuItemSchema>;

export const RawScenarioSchema = v.object({
  id: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9_.-]{0,63}$/, 'id must be lower-case letters, digits, _ . -')),
  version: v.pipe(v.number(), v.integer(), v.minValue(1)),
  name: v.optional(v.string()),
  defaultLang: v.optional(LangSchema, 'ru'),
  autoSwitchLanguage: v.optional(v.boolean(), true),
  languageNames: v.optional(PerLang, { ru: 'Русский', kk: 'Қазақша', en: 'English' }),
  context: v.optional(
    v.object({
      telegram: v.optional(Count(1, 50), 5),
      whatsapp: v.optional(Count(1, 50), 10),
      web: v.optional(Count(1, 50), 10),
    }),
    {},
  ),
  search: v.optional(
    v.object({
      pageSize: v.optional(Count(1, 10), 5),
      relaxOrder: v.optional(v.array(v.picklist(RELAXABLE)), ['color', 'material', 'price']),
      /** «подешевле» without results on screen: new price ceiling = old ceiling × this */
      cheaperFactor: v.optional(v.pipe(v.number(), v.gtValue(0), v.ltValue(1)), 0.8),
    }),
    {},
  ),
  recommend: v.optional(v.object({ limit: v.optional(Count(0, 10), 3) }), {}),
  escalation: v.optional(
    v.object({
      maxFailedTurns: v.optional(Count(1, 20), 3),
      onAngry: v.optional(v.boolean(), true),
      /** the designer flow a shopper enters when a manager resolves the hand-off (e.g. one rating question) */
      afterResolved: v.optional(v.pipe(v.string(), v.regex(NAME, 'flow name must be 1–64 of a-z 0-9 _ -'))),
    }),
    {},
  ),
  timers: v.optional(
    v.object({
      idleFollowUp: v.optional(Duration, 'PT30M'),
      managerSla: v.optional(Duration, 10),
      /** a hand-off with no message either way for this long is closed, both sides told */
      escalationSilence: v.optional(Duration, 'PT2H'),
    }),
    {},
  ),
  alerts: v.optional(
    v.object({
      allowTargetPrice: v.optional(v.boolean(), true),
      /** product cards in one alert digest; the rest are counted, not shown */
      digestCards: v.optional(Count(1, 10), 5),
    }),
    {},
  ),
  limits: v.optional(
    v.object({
      messagesPerMinute: v.optional(Count(0, 600), 20),
      modelCallsPerDay: v.optional(Count(0, 1_000_000), 2000),
      tooManyMessages: v.optional(PerLang, TOO_MANY_MESSAGES),
    }),
    {},
  ),
  routing: v.optional(v.record(v.string(), v.string()), {}),
  /** the scenario's own intents (intents.ts) */
  intents: v.optional(DesignerIntentsSchema, {}),
  menu: v.pipe(v.array(MenuItemSchema), v.minLength(1), v.maxLength(10)),
  texts: v.object({ ru: Texts, kk: Texts, en: Texts }),
  /** designer flows: steps that say, ask, branch and act (flowSchema.ts) */
  flows: v.optional(RawFlowsSchema, {}),
});
export type RawScenario = v.InferInput<typeof RawScenarioSchema>;

/** A scenario after validation: every reference checked, every default filled in. */
export type Scenario = {
  readonly id: string;
  readonly version: number;
  readonly name: string;
  readonly defaultLang: Lang;
  readonly autoSwitchLanguage: boolean;
  readonly languageNames: Readonly<Record<Lang, string>>;
  readonly context: Readonly<Record<Channel, number>>;
  readonly search: {
    readonly pageSize: number;
    readonly relaxOrder: readonly Relaxable[];
    readonly cheaperFactor: number;
  };
  readonly recommend: { readonly limit: number };
  readonly escalation: {
    readonly maxFailedTurns: number;
    readonly onAngry: boolean;
    /** the designer flow entered when a manager resolves the hand-off */
    readonly afterResolved?: string;
  };
  /** 0 turns a timer off */
  readonly timers: {
    readonly idleFollowUpMs: number;
    readonly managerSlaMs: number;
    readonly escalationSilenceMs: number;
  };
  readonly alerts: { readonly allowTargetPrice: boolean; readonly digestCards: number };
  /**
   * Enforced by the host, not the machines. `messagesPerMinute`: a conversation's shopper messages
   * in any 60 s; past it they are recorded and answered once with `tooManyMessages`, without a
   * turn. `modelCallsPerDay`: model calls (understanding, vision, Whisper) of the city in a day;
   * past it the rules brain answers alone. 0 turns a limit off.
   */
  readonly limits: {
    readonly messagesPerMinute: number;
    readonly modelCallsPerDay: number;
    readonly tooManyMessages: Readonly<Record<Lang, string>>;
  };
  readonly routing: Readonly<Record<IntentName, Route>>;
  /** the scenario's own intents by name, in declaration order; the brains get this object itself (its compiled matcher is cached by it) */
  readonly intents: ScenarioIntents;
  readonly menu: readonly MenuItem[];
  readonly texts: Readonly<Record<Lang, Readonly<Record<string, string>>>>;
  /** designer flows by name, checked (flowChecks) */
  readonly flows: Readonly<Record<string, Flow>>;
};

export { CHANNELS, LANGS, INTENT_NAMES, MENU_FLOWS, ROUTES };
export type { Category };
