import { LANGS, type Lang } from '../catalog.ts';
import { clip, INPUT_TEXT_MAX, remember } from '../context.ts';
import type { Effect } from '../effects.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx } from '../machine/setup.ts';
import type { TextKey } from '../scenario/textKeys.ts';
import { IDLE, UNDERSTANDING } from '../machine/stateIds.ts';
import { canPage } from './search.ts';

/**
 * Dialogue: the resting state, waiting for understanding / transcription / recommendations,
 * greeting, menu, help, language, thanks/bye, small talk and the helpful fallback.
 *
 *   idle ── text ──▶ understanding ── understand.done ──▶ (routing.ts)
 *   idle ── voice ──▶ transcribing ── transcribe.done ──▶ understanding | idle (please type)
 *   idle ── /start ──▶ recommending ── recommend.done ──▶ idle
 */

export const isLang = (x: string | undefined): x is Lang => (LANGS as readonly string[]).includes(x ?? '');

/** every shopper message: remember it, forget a pending follow-up, drop half-done work */
export function shopperTurn(k: Kit, ctx: Ctx, line: string, at: string): Outcome {
  return k.seq(
    ctx,
    (c) => k.unschedule(c, 'idle'),
    (c) => ({ context: { pending: null, history: remember(c, k.historyLimit(c), 'shopper', line, at) } }),
  );
}

/** the history sent along is what came before this message (which was just remembered) */
export function askUnderstanding(ctx: Ctx, text: string): Outcome {
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

export const replyWithMenu =
  (k: Kit, key: TextKey) =>
  (ctx: Ctx): Outcome => ({ effects: [k.withMenu(ctx, key)] });
export const replyText =
  (k: Kit, key: TextKey) =>
  (ctx: Ctx): Outcome => ({ effects: [k.say(ctx, key)] });

export function languageChoices(k: Kit, ctx: Ctx): Outcome {
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

export function switchLanguage(k: Kit, ctx: Ctx, lang: Lang): Outcome {
  const next = { ...ctx, lang };
  return {
    context: { lang },
    effects: [
      k.withMenu(next, 'languageChanged', { language: k.s.languageNames[lang] }),
      { type: 'track', name: 'language_changed', props: { lang } },
    ],
  };
}

export function greet(k: Kit, ctx: Ctx, recommend: boolean): Outcome {
  const effects: Effect[] = [k.withMenu(ctx, 'greeting'), { type: 'track', name: 'greeting' }];
  if (recommend) effects.push({ type: 'recommend', limit: k.s.recommend.limit });
  return { context: { failedTurns: 0, pending: null }, effects };
}

export function forget(k: Kit, ctx: Ctx): Outcome {
  return {
    context: { criteria: null, focus: null, page: 1, total: 0, totalCapped: false, shownMin: null, shownMax: null },
    effects: [{ type: 'forgetPreferences' }, k.say(ctx, 'forgotPreferences')],
  };
}

export function idleFollowUp(k: Kit, ctx: Ctx, timerId: string): Outcome {
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

export function dialogueStates(k: Kit) {
  return {
    idle: engine.createStateConfig({}),
    understanding: engine.createStateConfig({
      // `understand.done` is routed in routing.ts
      on: {
        'effect.failed': {
          guard: { type: 'effectFailed', params: { effect: 'understand' } },
          target: IDLE,
          actions: k.act(replyWithMenu(k, 'error')),
        },
      },
    }),
    transcribing: engine.createStateConfig({
      on: {
        'transcribe.done': [
          {
            guard: 'transcribed',
            target: UNDERSTANDING,
            actions: k.act<'transcribe.done'>((ctx, ev) =>
              k.seq(
                ctx,
                (c) => ({ context: { history: remember(c, k.historyLimit(c), 'shopper', ev.text ?? '', ev.at) } }),
                (c) => askUnderstanding(c, ev.text ?? ''),
              ),
            ),
          },
          { target: IDLE, actions: k.act(replyText(k, 'voiceUnsupported')) },
        ],
        'effect.failed': {
          guard: { type: 'effectFailed', params: { effect: 'transcribe' } },
          target: IDLE,
          actions: k.act(replyText(k, 'voiceUnsupported')),
        },
      },
    }),
    recommending: engine.createStateConfig({
      on: {
        'recommend.done': [
          {
            guard: 'found',
            target: IDLE,
            actions: k.act<'recommend.done'>((ctx, ev) => ({
              effects: [
                k.say(ctx, 'recommendations'),
                {
                  type: 'reply',
                  reply: {
                    type: 'products',
                    view: 'list',
                    items: ev.items.slice(0, Math.max(1, k.s.recommend.limit)).map((p) => k.card(ctx, p)),
                  },
                },
              ],
            })),
          },
          { target: IDLE },
        ],
        // recommendations are a nicety: when they fail, say nothing
        'effect.failed': { guard: { type: 'effectFailed', params: { effect: 'recommend' } }, target: IDLE },
      },
    }),
  };
}
