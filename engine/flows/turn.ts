import { remember } from '../context.ts';
import type { ActionTable } from '../machine/actions.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import type { Ctx, Ev } from '../machine/setup.ts';

/**
 * The bookkeeping every turn does before its flow acts. A shopper message starts a turn
 * (`startTurn`, first in every transition the bot answers); an understood message follows the
 * shopper's language and, when a route claims it, ends a streak of misunderstandings (`understood`;
 * the fallbacks only `followLanguage`).
 */
type ShopperEvent = Ev<'text' | 'voice' | 'image' | 'choice' | 'command' | 'location' | 'contact' | 'unsupported'>;

/** the shopper's message as one history line */
function lineOf(ev: ShopperEvent): string {
  switch (ev.type) {
    case 'text':
      return ev.text;
    case 'voice':
      return '🎤';
    case 'image':
      return `📷 ${ev.caption ?? ''}`;
    case 'choice':
      return `[${ev.id}]`;
    case 'command':
      return `/${ev.command}`;
    case 'location':
      return '📍';
    case 'contact':
      return '📱';
    case 'unsupported':
      return `[${ev.kind}]`;
  }
}

/** every shopper message: remember it, forget a pending follow-up, drop half-done work */
function shopperTurn(k: Kit, ctx: Ctx, line: string, at: string): Outcome {
  return k.seq(
    ctx,
    (c) => k.unschedule(c, 'idle'),
    (c) => ({ context: { pending: null, history: remember(c, k.historyLimit(c), 'shopper', line, at) } }),
  );
}

/** the language the shopper wrote in, unless they are asking to change it */
function followLanguage(k: Kit, ctx: Ctx, ev: Ev<'understand.done'>): Outcome {
  const lang = ev.understanding.lang;
  return k.s.autoSwitchLanguage && lang && lang !== ctx.lang && ev.understanding.intent.name !== 'set_language'
    ? { context: { lang } }
    : {};
}

export const turnActions = {
  startTurn: (k, c, ev: ShopperEvent) => shopperTurn(k, c, lineOf(ev), ev.at),
  followLanguage: (k, c, ev: Ev<'understand.done'>) => followLanguage(k, c, ev),
  understood: (k, c, ev: Ev<'understand.done'>) =>
    k.seq(
      c,
      (x) => followLanguage(k, x, ev),
      () => ({ context: { failedTurns: 0 } }),
    ),
} satisfies ActionTable;
