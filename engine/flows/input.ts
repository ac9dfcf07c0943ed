import { and } from 'xstate';
import { clip, hasCriteria } from '../context.ts';
import { choiceLang, commandLang } from '../machine/guards.ts';
import { choiceSku } from '../machine/handles.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import type { MenuFlow } from '../scenario/routes.ts';
import type { MenuItem } from '../scenario/schema.ts';
import {
  askUnderstanding,
  greet,
  idleFollowUp,
  languageChoices,
  replyText,
  replyWithMenu,
  shopperTurn,
  switchLanguage,
} from './dialogue.ts';
import {
  ALERT_CREATING,
  ALERT_LOOKUP,
  DETAILS,
  IDLE,
  READING,
  RECOMMENDING,
  REQUESTING,
  SEARCHING,
  TRANSCRIBING,
  UNDERSTANDING,
} from '../machine/stateIds.ts';
import { startEscalation } from './escalation.ts';
import { startImage } from './imageLookup.ts';
import { skuFromText } from './skuFromText.ts';
import { alertFocus, alertSearch, cancelAlert, lookUpForAlert } from './priceAlert.ts';
import { nextPage, relaxCriteria, startDetails, startSearch, zeroResultOptions } from './search.ts';

/**
 * Shopper input, handled the same way in every state (a result still awaited is simply
 * abandoned — never a dead end). Escalation's `withManager` overrides these to forward instead.
 * Choice ids are the engine's own: `p:<handle>` `a:<handle>` `u:<handle>` (see handles.ts; `p:<SKU>` still works) `m` `more` `menu` `menu:<id>`
 * `lang:<ru|kk|en>` `relax` `alert:search`.
 */

export function inputTransitions(k: Kit) {
  const turn = <T extends 'text' | 'voice' | 'image' | 'choice' | 'command' | 'location' | 'unsupported'>(
    line: (ev: Ev<T>) => string,
    fn: (ctx: Ctx, ev: Ev<T>) => Outcome,
  ) =>
    k.act<T>((ctx, ev) =>
      k.seq(
        ctx,
        (c) => shopperTurn(k, c, line(ev), (ev as Ev<'text'>).at),
        (c) => fn(c, ev),
      ),
    );

  const choice = (fn: (ctx: Ctx, ev: Ev<'choice'>) => Outcome) => turn<'choice'>((ev) => `[${ev.id}]`, fn);
  const command = (fn: (ctx: Ctx, ev: Ev<'command'>) => Outcome) => turn<'command'>((ev) => `/${ev.command}`, fn);

  const menuItem = (id: string): MenuItem | undefined => {
    const key = id.startsWith('menu:') ? id.slice(5) : null;
    return key === null ? undefined : k.s.menu.find((m) => m.id === key);
  };
  /** the menu ids whose item (the first with that id) starts `flow` — and, for search, names what to find */
  const menuItems = (flow: MenuFlow, withCriteria = false) =>
    k.s.menu
      .filter((m, i) => k.s.menu.findIndex((x) => x.id === m.id) === i && m.action.flow === flow)
      .filter((m) => !withCriteria || menuSearchCriteria(`menu:${m.id}`) !== null)
      .map((m) => m.id);
  const menuFlow = (flow: MenuFlow, withCriteria = false) =>
    ({ type: 'menuItem', params: { flow, items: menuItems(flow, withCriteria) } }) as const;
  const menuSearchCriteria = (id: string) => {
    const a = menuItem(id)?.action;
    if (a?.flow !== 'search') return null;
    const c: NonNullable<Ctx['criteria']> = {};
    if (a.query) c.query = a.query;
    if (a.category) c.category = a.category;
    return hasCriteria(c) ? c : null;
  };
  const sku = (prefix: string) => ({ type: 'choicePrefix', params: { prefix } }) as const;
  const is = (id: string) => ({ type: 'choice', params: { id } }) as const;
  const cmd = (...names: string[]) => ({ type: 'command', params: { names } }) as const;
  const canPage = { type: 'canPage', params: { pageSize: k.s.search.pageSize } } as const;
  const relaxOrder = k.s.search.relaxOrder;
  // after zero results the manager button means "help me find it"
  // after repeated misunderstanding the button was offered: the hand-off still counts as caused by failures
  const escalate = (reason: string) => (c: Ctx) =>
    startEscalation(
      k,
      c,
      c.failedTurns >= k.s.escalation.maxFailedTurns
        ? 'failures'
        : c.total === 0 && hasCriteria(c.criteria)
          ? 'no_results'
          : 'request',
      reason,
    );

  return engine.createStateConfig({
    on: {
      text: [
        { guard: 'emptyText', target: IDLE, actions: turn<'text'>(() => '', replyWithMenu(k, 'fallback')) },
        {
          target: UNDERSTANDING,
          actions: turn<'text'>(
            (ev) => ev.text,
            (c, ev) => askUnderstanding(c, ev.text),
          ),
        },
      ],
      voice: {
        target: TRANSCRIBING,
        actions: turn<'voice'>(
          () => '🎤',
          (c, ev) => ({ effects: [{ type: 'transcribe', ref: ev.ref, lang: c.lang }] }),
        ),
      },
      image: {
        target: READING,
        actions: turn<'image'>(
          (ev) => `📷 ${ev.caption ?? ''}`,
          (c, ev) => startImage(c, ev),
        ),
      },
      location: { target: IDLE, actions: turn<'location'>(() => '📍', replyWithMenu(k, 'locationReceived')) },
      unsupported: {
        target: IDLE,
        actions: turn<'unsupported'>(
          (ev) => `[${ev.kind}]`,
          (c, ev) => replyText(k, unsupportedText(ev.kind))(c),
        ),
      },
      choice: [
        {
          guard: sku('p:'),
          target: DETAILS,
          actions: choice((c, ev) => startDetails(c, choiceSku(c, ev.id, 'p:') ?? '')),
        },
        {
          guard: and([sku('a:'), { type: 'choiceOnFocus', params: { prefix: 'a:' } }]),
          target: ALERT_CREATING,
          actions: choice((c) => alertFocus(k, c, undefined)),
        },
        {
          guard: sku('a:'),
          target: ALERT_LOOKUP,
          actions: choice((c, ev) => lookUpForAlert(k, c, { sku: choiceSku(c, ev.id, 'a:') ?? '' })),
        },
        {
          guard: sku('u:'),
          target: IDLE,
          actions: choice((c, ev) => cancelAlert(k, c, choiceSku(c, ev.id, 'u:') ?? undefined)),
        },
        { guard: is('m'), target: REQUESTING, actions: choice(escalate('shopper tapped the manager button')) },
        { guard: and([is('more'), canPage]), target: SEARCHING, actions: choice((c) => nextPage(k, c)) },
        { guard: is('more'), target: IDLE, actions: choice(replyWithMenu(k, 'noMoreResults')) },
        { guard: is('menu'), target: IDLE, actions: choice(replyWithMenu(k, 'menuPrompt')) },
        // «Вернуться к боту» tapped after the hand-off already ended: the shopper is with the bot
        { guard: is('bot'), target: IDLE, actions: choice(replyWithMenu(k, 'menuPrompt')) },
        {
          guard: and([{ type: 'canRelax', params: { order: relaxOrder } }, is('relax')]),
          target: SEARCHING,
          actions: choice((c) => startSearch(k, c, relaxCriteria(c.criteria, relaxOrder) ?? {}, 1, 'relax')),
        },
        {
          guard: is('relax'),
          target: IDLE,
          actions: choice((c) => ({ effects: [k.ask(c, k.text(c, 'noResults'), zeroResultOptions(k, c))] })),
        },
        {
          guard: and([is('alert:search'), 'hasCriteria']),
          target: ALERT_CREATING,
          actions: choice((c) => alertSearch(c)),
        },
        {
          guard: 'languageChoice',
          target: IDLE,
          actions: choice((c, ev) => switchLanguage(k, c, choiceLang(ev.id) ?? c.lang)),
        },
        {
          guard: menuFlow('search', true),
          target: SEARCHING,
          actions: choice((c, ev) => startSearch(k, c, menuSearchCriteria(ev.id) ?? {}, 1, 'menu')),
        },
        { guard: menuFlow('search'), target: IDLE, actions: choice(replyText(k, 'askWhat')) },
        {
          guard: menuFlow('escalation'),
          target: REQUESTING,
          actions: choice(escalate('shopper chose the manager menu item')),
        },
        { guard: menuFlow('help'), target: IDLE, actions: choice(replyWithMenu(k, 'help')) },
        { guard: menuFlow('language'), target: IDLE, actions: choice((c) => languageChoices(k, c)) },
        { guard: menuFlow('alerts'), target: IDLE, actions: choice(replyWithMenu(k, 'alertsInfo')) },
        {
          guard: menuFlow('info'),
          target: IDLE,
          actions: choice((c, ev) => {
            const a = menuItem(ev.id)?.action;
            const text = a?.flow === 'info' ? (k.s.texts[c.lang][a.text] ?? '') : '';
            return { effects: [k.ask(c, text, k.menuOptions(c))] };
          }),
        },
        { target: IDLE, actions: choice(replyWithMenu(k, 'fallback')) },
      ],
      command: [
        // a deep link (`t.me/bot?start=SOFA-001`, an ad or a QR code on a price tag) opens that product
        {
          guard: and([cmd('start'), 'deepLinkSku']),
          target: DETAILS,
          actions: command((c, ev) =>
            k.seq(
              c,
              (x) => greet(k, x, false),
              (x) => startDetails(x, skuFromText(ev.args ?? '') ?? ''),
            ),
          ),
        },
        ...(k.s.recommend.limit > 0
          ? [{ guard: cmd('start'), target: RECOMMENDING, actions: command((c) => greet(k, c, true)) }]
          : []),
        { guard: cmd('start'), target: IDLE, actions: command((c) => greet(k, c, false)) },
        { guard: cmd('menu'), target: IDLE, actions: command(replyWithMenu(k, 'menuPrompt')) },
        {
          guard: and([cmd('lang', 'language'), 'languageArg']),
          target: IDLE,
          actions: command((c, ev) => switchLanguage(k, c, commandLang(ev.args) ?? c.lang)),
        },
        { guard: cmd('lang', 'language'), target: IDLE, actions: command((c) => languageChoices(k, c)) },
        { guard: cmd('manager', 'operator'), target: REQUESTING, actions: command(escalate('shopper used /manager')) },
        { guard: cmd('stop'), target: IDLE, actions: command(replyText(k, 'bye')) },
        // /help and anything unknown
        { target: IDLE, actions: command(replyWithMenu(k, 'help')) },
      ],
      // a manager writing outside an open hand-off (late, or proactively): relay, the bot keeps the conversation
      'manager.replied': {
        actions: k.act<'manager.replied'>((c, ev) => ({
          effects: [
            k.say(c, 'managerMessage', {
              manager: clip(ev.managerName ?? k.text(c, 'managerDefaultName'), 60),
              text: clip(ev.text, 3_000),
            }),
          ],
          speaker: 'manager',
        })),
      },
      'timer.fired': [
        {
          guard: { type: 'ownTimer', params: { kind: 'idle' } },
          actions: k.act<'timer.fired'>((c, ev) => idleFollowUp(k, c, ev.timerId)),
        },
        // stale or foreign: forget it quietly
        {
          actions: k.act<'timer.fired'>((c, ev) =>
            c.timers.includes(ev.timerId) ? { context: { timers: c.timers.filter((t) => t !== ev.timerId) } } : {},
          ),
        },
      ],
    },
  }).on;
}

/** documents and oversized photos get an answer that says what to do instead */
function unsupportedText(kind: string): 'documentUnsupported' | 'photoTooLarge' | 'unsupported' {
  if (kind === 'document') return 'documentUnsupported';
  if (kind === 'photo_too_large') return 'photoTooLarge';
  return 'unsupported';
}
