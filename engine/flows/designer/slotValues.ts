import { clip, SLOT_VALUE_MAX, type ConversationContext } from '../../context.ts';
import type { EngineEvent } from '../../events.ts';
import { labelWords } from '../../machine/read.ts';
import type { SlotType } from '../../scenario/flowSchema.ts';

/**
 * What a shopper's answer to a designer question is worth, by the slot's type — or null when it
 * does not answer it (the question is asked again). Pure functions of the event and the slot's
 * spec, so a guard (may the flow go on?) and an action (store the answer) read an answer alike.
 */
export type SlotSpec = {
  /** the slot the answer is kept under (a known answer is looked up by it) */
  slot?: string;
  type: SlotType;
  /** the known answer (SlotContext's `known`) may be given by tapping its button */
  remember?: true;
  pattern?: string;
  min?: number;
  max?: number;
  /** choice slots: each choice's id and its labels in every language, as words */
  choices?: readonly { id: string; labels: readonly string[] }[];
  /** payment slots: each method's label in every language, as words (the scenario's `pay…` texts) */
  methodLabels?: Readonly<Record<string, readonly string[]>>;
};

/** what the checkout loaded and the answers so far: the choices of store and payment questions */
export type SlotContext = Pick<ConversationContext, 'checkout' | 'flow' | 'known'>;

/** the button that gives a question its known answer again */
export const KNOWN_ANSWER = 'f:known';

/** the pickup stores to choose from, as choices */
export function storeChoices(ctx: SlotContext): { id: string; labels: string[] }[] {
  return (ctx.checkout?.stores ?? []).map((s) => ({ id: s.id, labels: [labelWords(s.name)] }));
}

/** the ways to pay the city offers, on receipt only as the delivery allows */
export function paymentChoices(
  ctx: SlotContext,
  spec: Pick<SlotSpec, 'methodLabels'>,
): { id: string; labels: readonly string[] }[] {
  const pickup = ctx.flow?.slots.delivery === 'pickup';
  return (ctx.checkout?.methods ?? [])
    .filter((m) => (m === 'on_delivery' ? !pickup : m === 'at_pickup' ? pickup : true))
    .map((m) => ({ id: m, labels: spec.methodLabels?.[m] ?? [] }));
}

/**
 * A Kazakh phone number, normalised to +7XXXXXXXXXX: `+7 701 123 45 67`, `8 (701) 123-45-67`,
 * `87011234567`, `7011234567`. The number after the country code starts with 7 (Kazakhstan's
 * mobile and city codes: 700–708, 747, 771, 775–778, 7172, 727…); a Russian +7 9… number is not one.
 */
export function kazakhPhone(text: string): string | null {
  const compact = text.replace(/[\s\-().]/g, '');
  if (!/^\+?\d{10,11}$/.test(compact)) return null;
  const digits = compact.replace('+', '');
  let national: string;
  if (compact.startsWith('+')) {
    if (!digits.startsWith('7') || digits.length !== 11) return null;
    national = digits.slice(1);
  } else if (digits.length === 11) {
    if (!digits.startsWith('8') && !digits.startsWith('7')) return null;
    national = digits.slice(1);
  } else national = digits;
  return /^7\d{9}$/.test(national) ? `+7${national}` : null;
}

/** a number kazakhPhone stored, as people read it: `+77011234567` → `+7 701 123 45 67` */
export function phoneForDisplay(phone: string): string {
  const m = /^\+7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(phone);
  return m ? `+7 ${m[1]} ${m[2]} ${m[3]} ${m[4]}` : phone;
}

/** a kept answer as the bot says it: a phone spaced, anything else as it was given */
export const shownAnswer = (type: SlotType, value: string): string =>
  type === 'phone' ? phoneForDisplay(value) : value;

/** a number as shoppers write it: `12`, `2,5`, `150 000`; null when it is not one or out of bounds */
export function slotNumber(text: string, min?: number, max?: number): string | null {
  const compact = text
    .trim()
    .replace(/[\s\u00a0]/g, '')
    .replace(',', '.');
  if (!/^-?\d{1,12}(\.\d{1,6})?$/.test(compact)) return null;
  const n = Number(compact);
  if (!Number.isFinite(n) || (min !== undefined && n < min) || (max !== undefined && n > max)) return null;
  return String(n);
}

const DAY_WORDS = [
  // ru
  'сегодня',
  'завтра',
  'послезавтра',
  'понедельник',
  'вторник',
  'среда',
  'среду',
  'четверг',
  'пятница',
  'пятницу',
  'суббота',
  'субботу',
  'воскресенье',
  'выходные',
  'будни',
  'утро',
  'утром',
  'днем',
  'днём',
  'вечер',
  'вечером',
  'обед',
  // kk
  'бүгін',
  'ертең',
  'бүрсігүні',
  'дүйсенбі',
  'сейсенбі',
  'сәрсенбі',
  'бейсенбі',
  'жұма',
  'сенбі',
  'жексенбі',
  'таңертең',
  'түсте',
  'түстен',
  'кешке',
  'кеш',
  // en
  'today',
  'tomorrow',
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
  'weekend',
  'morning',
  'afternoon',
  'evening',
  'noon',
];
const DAY_WORD = new RegExp(`(^|[^\\p{L}])(${DAY_WORDS.join('|')})([^\\p{L}]|$)`, 'iu');
/** 14:00, 9.30, 10-12, с 10 до 12, 25.12, 25/12 */
const TIME = /(^|\D)([01]?\d|2[0-3])([:.][0-5]\d)?\s*(-|–|—|до|to)\s*([01]?\d|2[0-3])([:.][0-5]\d)?(\D|$)/i;
const CLOCK = /(^|\D)([01]?\d|2[0-3])[:.][0-5]\d(\D|$)/;
const DATE = /(^|\D)(0?[1-9]|[12]\d|3[01])[./](0?[1-9]|1[0-2])([./]\d{2,4})?(\D|$)/;
const HOUR_WORD = /(^|\D)([01]?\d|2[0-3])\s*(ч|час|часов|сағат|am|pm|h)(\P{L}|$)/iu;

/**
 * A date or time window in the shopper's words — «завтра с 10 до 12», «ертең кешке», «Saturday
 * 14:00», «25.12 10-12». The engine has no clock and no city time zone, so the answer is kept as
 * written (tidied); it must name a day, a part of the day, a time or a window to count.
 */
export function slotDateTime(text: string): string | null {
  const t = clip(text, 120).replace(/\s+/g, ' ');
  if (t.length < 2) return null;
  const named = DAY_WORD.test(t) || TIME.test(t) || CLOCK.test(t) || DATE.test(t) || HOUR_WORD.test(t);
  return named ? t : null;
}

/** a designer's text pattern, matched whole; compiled once per pattern (the patterns are checked safe at load) */
const compiled = new Map<string, RegExp>();
function matchesWhole(pattern: string, text: string): boolean {
  let re = compiled.get(pattern);
  if (!re) {
    re = new RegExp(`^(?:${pattern})$`, 'u');
    if (compiled.size < 1_000) compiled.set(pattern, re);
  }
  return re.test(text);
}

function slotText(text: string, pattern?: string): string | null {
  const t = clip(text, SLOT_VALUE_MAX);
  if (t === '') return null;
  return pattern === undefined || matchesWhole(pattern, t) ? t : null;
}

/** a tapped choice `f:<id>`, its label typed, or its number in the list */
function slotChoice(event: EngineEvent, choices: SlotSpec['choices']): string | null {
  if (!choices) return null;
  if (event.type === 'choice')
    return event.id.startsWith('f:') ? (choices.find((c) => `f:${c.id}` === event.id)?.id ?? null) : null;
  if (event.type !== 'text') return null;
  const words = labelWords(event.text);
  const index = /^\d{1,2}$/.test(words) ? Number(words) - 1 : -1;
  if (index >= 0 && index < choices.length) return choices[index]?.id ?? null;
  return choices.find((c) => c.labels.includes(words) || c.id === words)?.id ?? null;
}

export function slotValue(event: EngineEvent, spec: SlotSpec, ctx?: SlotContext): string | null {
  if (spec.remember && spec.slot !== undefined && event.type === 'choice' && event.id === KNOWN_ANSWER)
    return ctx?.known?.[spec.slot] ?? null;
  if (spec.type === 'choice') return slotChoice(event, spec.choices);
  if (spec.type === 'store') return ctx ? slotChoice(event, storeChoices(ctx)) : null;
  if (spec.type === 'payment') return ctx ? slotChoice(event, paymentChoices(ctx, spec)) : null;
  if (spec.type === 'photo') return event.type === 'image' && event.ref.length <= SLOT_VALUE_MAX ? event.ref : null;
  // a number the channel vouches for counts only when it is the sender's own
  if (spec.type === 'phone' && event.type === 'contact') return event.own ? kazakhPhone(event.phone) : null;
  if (event.type !== 'text') return null;
  switch (spec.type) {
    case 'text':
      return slotText(event.text, spec.pattern);
    case 'number':
      return slotNumber(event.text, spec.min, spec.max);
    case 'phone':
      return kazakhPhone(event.text);
    case 'datetime':
      return slotDateTime(event.text);
  }
}
