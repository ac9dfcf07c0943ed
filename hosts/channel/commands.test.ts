import { describe, expect, it } from 'vitest';
import { adaptUpdate } from '../telegram/inbound.ts';
import * as tg from '../telegram/testing/updates.ts';
import { toShopperEvent as webEvent } from '../web/inbound.ts';
import { toShopperEvent as whatsappEvent } from '../whatsapp/inbound.ts';
import { commandFromToken, parseCommand } from './commands.ts';

const at = '2026-11-26T10:00:00.000Z';

describe('the text-command parser', () => {
  it('reads a leading /name with its arguments and mention', () => {
    expect(parseCommand('/start')).toEqual({ command: 'start' });
    expect(parseCommand('  /Lang   en  ')).toEqual({ command: 'lang', args: 'en' });
    expect(parseCommand('/start@zeta_bot promo_42')).toEqual({
      command: 'start',
      args: 'promo_42',
      mention: 'zeta_bot',
    });
    expect(parseCommand('/note first line\nsecond line')).toEqual({ command: 'note', args: 'first line\nsecond line' });
    expect(parseCommand(`/search ${'x'.repeat(600)}`)?.args).toHaveLength(500);
  });

  it('leaves text that only looks like one alone', () => {
    for (const text of ['диван', '/2', '/ 50', 'see /start', '/start-now', ''])
      expect(parseCommand(text), text).toBeUndefined();
  });

  it('takes a token a platform marked (Telegram entities) as it is', () => {
    expect(commandFromToken('/Start@zeta_bot', ' payload')).toEqual({
      command: 'start',
      args: 'payload',
      mention: 'zeta_bot',
    });
  });

  it('gives every channel the same event for the same words', () => {
    const expected = { type: 'command', command: 'lang', args: 'kk', at };
    const telegram = adaptUpdate(tg.textUpdate(1, tg.shopper(7), '/lang kk') as Record<string, unknown>, { at });
    expect(telegram).toMatchObject({ kind: 'shopper', event: expected });
    expect(
      whatsappEvent({ id: 'wamid.1', from: '7701', timestamp: '1', type: 'text', text: { body: '/lang kk' } }, at),
    ).toEqual(expected);
    expect(webEvent({ userId: 'u', text: '/lang kk' }, at)).toEqual(expected);
  });
});
