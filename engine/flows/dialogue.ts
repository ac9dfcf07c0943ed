import { LANGS, type Lang } from '../catalog.ts';
import { clip, INPUT_TEXT_MAX, remember } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { EngineEvent } from '../events.ts';
import type { ActionTable } from '../machine/actions.ts';
import { choiceLang, commandLang } from '../machine/read.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import type { TextKey } from '../scenario/textKeys.ts';
import { IDLE, UNDERSTANDING } from '../machine/stateIds.ts';
import { menuItem } from './menu.ts';
import { canPage } from './search.ts';

/**
 * Dialogue: the resting state, waiting for understanding / transcription / recommendations,
 * greeting, menu, help, language, thanks/bye, small talk and the helpful fallback.
 *
 *   idle ── text ──▶ understanding ── understand.done ──▶ (decisions/)
 *   idle ── voice ──▶ transcribing ── transcribe.done ──▶ understanding | idle (please type)
 *   idle ── /start ──▶ recommending ── recommend.done ──▶ idle
 */

/** the history sent along is what came before this message (which was just remembered) */
function askUnderstanding(ctx: Ctx, text: string): Outcome {
  const last = ctx.history[ctx.history.length - 1];
  const before = last && last.role === 'shopper' ? ctx.history.slice(0, -1) : ctx.history;
  return {
    effects: [
      {
        type: 'understand',
        text: clip(text, INPUT_TEXT_MAX),
        lang: ctx.lang,
        history: before,
        // the brain needs what is on screen to tell «а синий есть?» (refine) from a new search
        ...(ctx.criteria ? { criteria: ctx.criteria } : {}),
        ...(ctx.focus ? { focusSku: ctx.focus.sku } : {}),
      },
    ],
  };
}

function languageChoices(k: Kit, ctx: Ctx): Outcome {
  return {
    effects: [
      k.ask(
        ctx,
        k.text(ctx, 'languagePrompt'),
        LANGS.map((l) => ({ id: `lang:${l}`, label: k.s.languageNames[l] })),
      ),
    ],
  };
}

function switchLanguage(k: Kit, ctx: Ctx, lang: Lang): Outcome {
  const next = { ...ctx, lang };
  return {
    context: { lang },
    effects: [
      k.withMenu(next, 'languageChanged', { language: k.s.languageNames[lang] }),
      { type: 'track', name: 'language_changed', props: { lang } },
    ],
  };
}

function greet(k: Kit, ctx: Ctx, recommend: boolean): Outcome {
  const effects: Effect[] = [k.withMenu(ctx, 'greeting'), { type: 'track', name: 'greeting' }];
  if (recommend) effects.push({ type: 'recommend', limit: k.s.recommend.limit });
  return { context: { failedTurns: 0, pending: null }, effects };
}

function forget(k: Kit, ctx: Ctx): Outcome {
  return {
    context: { criteria: null, focus: null, page: 1, total: 0, totalCapped: false, shownMin: null, shownMax: null },
    effects: [{ type: 'forgetPreferences' }, k.say(ctx, 'forgotPreferences')],
  };
}

function idleFollowUp(k: Kit, ctx: Ctx, timerId: string): Outcome {
  const options = [
    ...(canPage(ctx, k.s.search.pageSize) ? [k.button(ctx, 'more', 'btnMore')] : []),
    k.button(ctx, 'menu', 'btnMenu'),
    k.button(ctx, 'm', 'btnManager'),
  ];
  return {
    context: { timers: ctx.timers.filter((t) => t !== timerId) },
    effects: [k.ask(ctx, k.text(ctx, 'idleFollowUp'), options), { type: 'track', name: 'idle_follow_up' }],
  };
}

/** documents and oversized photos get an answer that says what to do instead */
function unsupportedText(kind: string): 'documentUnsupported' | 'photoTooLarge' | 'unsupported' {
  if (kind === 'document') return 'documentUnsupported';
  if (kind === 'photo_too_large') return 'photoTooLarge';
  return 'unsupported';
}

/** the language a `lang:<code>` button, a `/lang <code>` command or a language intent names */
function languageNamed(ev: EngineEvent): Lang | null {
  if (ev.type === 'choice') return choiceLang(ev.id);
  if (ev.type === 'command') return commandLang(ev.args);
  if (ev.type === 'understand.done' && ev.understanding.intent.name === 'set_language')
    return ev.understanding.intent.args.lang ?? null;
  return null;
}

export const dialogueActions = {
  askUnderstanding: (_k, c, ev: Ev<'text'>) => askUnderstanding(c, ev.text),
  /** a transcript is the shopper's message: remembered, then understood like text */
  understandTranscript: (k, c, ev: Ev<'transcribe.done'>) =>
    k.seq(
      c,
      (x) => ({ context: { history: remember(x, k.historyLimit(x), 'shopper', ev.text ?? '', ev.at) } }),
      (x) => askUnderstanding(x, ev.text ?? ''),
    ),
  transcribe: (_k, c, ev: Ev<'voice'>) => ({ effects: [{ type: 'transcribe', ref: ev.ref, lang: c.lang }] }),
  replyText: (k, c, _ev, p: { text: TextKey }) => ({ effects: [k.say(c, p.text)] }),
  replyWithMenu: (k, c, _ev, p: { text: TextKey }) => ({ effects: [k.withMenu(c, p.text)] }),
  explainUnsupported: (k, c, ev: Ev<'unsupported'>) => ({ effects: [k.say(c, unsupportedText(ev.kind))] }),
  offerLanguages: (k, c) => languageChoices(k, c),
  switchLanguage: (k, c, ev: EngineEvent) => switchLanguage(k, c, languageNamed(ev) ?? c.lang),
  greet: (k, c, _ev, p: { recommend: boolean }) => greet(k, c, p.recommend),
  /** an info menu item: its text, the menu again */
  showInfo: (k, c, ev: Ev<'choice'>) => {
    const a = menuItem(k, ev.id)?.action;
    const text = a?.flow === 'info' ? (k.s.texts[c.lang][a.text] ?? '') : '';
    return { effects: [k.ask(c, text, k.menuOptions(c))] };
  },
  forget: (k, c) => forget(k, c),
  /** what no route claims: the helpful fallback, one more misunderstanding in a row */
  misunderstood: (k, c) => ({
    context: { failedTurns: c.failedTurns + 1 },
    effects: [
      k.withMenu(c, 'fallback'),
      { type: 'track', name: 'fallback', props: { failedTurns: c.failedTurns + 1 } },
    ],
  }),
  showRecommendations: (k, c, ev: Ev<'recommend.done'>) => ({
    effects: [
      k.say(c, 'recommendations'),
      {
        type: 'reply',
        reply: {
          type: 'products',
          view: 'list',
          items: ev.items.slice(0, Math.max(1, k.s.recommend.limit)).map((p) => k.card(c, p)),
        },
      },
    ],
  }),
  idleFollowUp: (k, c, ev: Ev<'timer.fired'>) => idleFollowUp(k, c, ev.timerId),
  /** a stale or foreign timer: forget it quietly */
  forgetTimer: (_k, c, ev: Ev<'timer.fired'>) =>
    c.timers.includes(ev.timerId) ? { context: { timers: c.timers.filter((t) => t !== ev.timerId) } } : {},
} satisfies ActionTable;

export function dialogueStates() {
  return {
    idle: engine.createStateConfig({}),
    understanding: engine.createStateConfig({
      // `understand.done` is decided in decisions/
      on: {
        'effect.failed': {
          guard: { type: 'effectFailed', params: { effect: 'understand' } },
          target: IDLE,
          actions: { type: 'replyWithMenu', params: { text: 'error' } },
        },
      },
    }),
    transcribing: engine.createStateConfig({
      on: {
        'transcribe.done': [
          { guard: 'transcribed', target: UNDERSTANDING, actions: 'understandTranscript' },
          { target: IDLE, actions: { type: 'replyText', params: { text: 'voiceUnsupported' } } },
        ],
        'effect.failed': {
          guard: { type: 'effectFailed', params: { effect: 'transcribe' } },
          target: IDLE,
          actions: { type: 'replyText', params: { text: 'voiceUnsupported' } },
        },
      },
    }),
    recommending: engine.createStateConfig({
      on: {
        'recommend.done': [{ guard: 'found', target: IDLE, actions: 'showRecommendations' }, { target: IDLE }],
        // recommendations are a nicety: when they fail, say nothing
        'effect.failed': { guard: { type: 'effectFailed', params: { effect: 'recommend' } }, target: IDLE },
      },
    }),
  };
}
