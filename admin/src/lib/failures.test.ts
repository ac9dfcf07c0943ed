import { describe, expect, it } from 'vitest';
import { eventWords } from './failures.ts';

const AT = '2026-11-26T10:00:00.000Z';

describe('eventWords', () => {
  it('shows what a shopper wrote, captioned or commanded', () => {
    expect(eventWords({ type: 'text', text: 'красный диван', at: AT })).toEqual({
      type: 'text',
      words: 'красный диван',
    });
    expect(eventWords({ type: 'image', ref: 'tg:AgAD', caption: 'такой же', at: AT })).toEqual({
      type: 'image',
      words: 'такой же',
    });
    expect(eventWords({ type: 'command', command: 'lang', args: 'en', at: AT })).toEqual({
      type: 'command',
      words: '/lang en',
    });
    expect(eventWords({ type: 'command', command: 'start', at: AT })).toEqual({ type: 'command', words: '/start' });
    expect(eventWords({ type: 'contact', phone: '+77011234567', own: true, at: AT })).toEqual({
      type: 'contact',
      words: '+77011234567',
    });
    expect(eventWords({ type: 'choice', id: 'product:42', at: AT })).toEqual({ type: 'choice', words: 'product:42' });
  });

  it("shows a manager's reply; only the type of what carries no words", () => {
    expect(eventWords({ type: 'manager.replied', text: 'Привезём завтра', at: AT })).toEqual({
      type: 'manager.replied',
      words: 'Привезём завтра',
    });
    expect(eventWords({ type: 'voice', ref: 'tg:AwAD', at: AT })).toEqual({ type: 'voice' });
    expect(eventWords({ type: 'image', ref: 'tg:AgAD', at: AT })).toEqual({ type: 'image' });
    expect(eventWords({ type: 'timer.fired', timerId: 'nudge', at: AT })).toEqual({ type: 'timer.fired' });
    expect(eventWords(null)).toEqual({ type: '?' });
  });
});
