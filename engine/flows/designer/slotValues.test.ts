import { describe, expect, it } from 'vitest';
import { kazakhPhone, slotDateTime, slotNumber, slotValue } from './slotValues.ts';

/** The answers a designer question accepts, by slot type, and what is kept. */
const T = '2026-03-01T09:00:00.000Z';

describe('phone: Kazakh numbers, kept as +7XXXXXXXXXX', () => {
  it.each([
    ['+7 701 123 45 67', '+77011234567'],
    ['+77011234567', '+77011234567'],
    ['8 (701) 123-45-67', '+77011234567'],
    ['87011234567', '+77011234567'],
    ['7011234567', '+77011234567'],
    ['7 701 123 45 67', '+77011234567'],
    ['8 727 250 00 00', '+77272500000'],
    ['+7 (777) 555.44.33', '+77775554433'],
  ])('%s → %s', (text, phone) => expect(kazakhPhone(text)).toBe(phone));

  it.each([
    '+7 912 345 67 89', // a Russian mobile
    '8 912 345 67 89',
    '+1 701 123 4567',
    '701 12 34',
    '+7 701 123 45 678',
    'позвоните мне',
    '',
    '++77011234567',
  ])('%s is not one', (text) => expect(kazakhPhone(text)).toBeNull());
});

describe('number', () => {
  it('reads numbers as shoppers write them, within the bounds', () => {
    expect(slotNumber('2')).toBe('2');
    expect(slotNumber('2,5')).toBe('2.5');
    expect(slotNumber('150 000')).toBe('150000');
    expect(slotNumber('-3')).toBe('-3');
    expect(slotNumber('6', 1, 5)).toBeNull();
    expect(slotNumber('0', 1, 5)).toBeNull();
    expect(slotNumber('два')).toBeNull();
    expect(slotNumber('1e9')).toBeNull();
    expect(slotNumber('9'.repeat(40))).toBeNull();
  });
});

describe('datetime: a day, a part of the day, a time or a window', () => {
  it.each([
    'завтра с 10 до 12',
    'завтра',
    'в субботу после обеда',
    'суббота 14:00',
    '25.12 10-12',
    'с 10 до 12',
    'ертең кешке',
    'сенбі 14:00',
    'Saturday 2-4pm',
    'tomorrow morning',
    'at 9.30',
    'в 18 часов',
  ])('%s', (text) => expect(slotDateTime(text)).toBe(text));

  it.each(['как получится', 'когда-нибудь', 'не знаю', 'x', 'в 25:00', '99-99'])('%s is not one', (text) =>
    expect(slotDateTime(text)).toBeNull(),
  );
});

describe('slotValue by event', () => {
  const choices = [
    { id: 'good', labels: ['хорошо', 'жақсы', 'good'] },
    { id: 'bad', labels: ['плохо', 'нашар', 'bad'] },
  ];
  it('a choice: its button, its label typed, its number, nothing else', () => {
    const spec = { type: 'choice' as const, choices };
    expect(slotValue({ type: 'choice', id: 'f:bad', at: T }, spec)).toBe('bad');
    expect(slotValue({ type: 'choice', id: 'f:nope', at: T }, spec)).toBeNull();
    expect(slotValue({ type: 'choice', id: 'menu:bad', at: T }, spec)).toBeNull();
    expect(slotValue({ type: 'text', text: '👍 Хорошо!', at: T }, spec)).toBe('good');
    expect(slotValue({ type: 'text', text: '2', at: T }, spec)).toBe('bad');
    expect(slotValue({ type: 'text', text: '3', at: T }, spec)).toBeNull();
  });

  it('a photo: an image, not words', () => {
    expect(slotValue({ type: 'image', ref: 'file-1', at: T }, { type: 'photo' })).toBe('file-1');
    expect(slotValue({ type: 'text', text: 'фото потом', at: T }, { type: 'photo' })).toBeNull();
    expect(slotValue({ type: 'image', ref: 'x'.repeat(400), at: T }, { type: 'photo' })).toBeNull();
  });

  it('text: anything said, clipped, matching the pattern whole when there is one', () => {
    expect(slotValue({ type: 'text', text: '  Абая 10  ', at: T }, { type: 'text' })).toBe('Абая 10');
    expect(slotValue({ type: 'text', text: '', at: T }, { type: 'text' })).toBeNull();
    expect(slotValue({ type: 'text', text: 'x'.repeat(2_000), at: T }, { type: 'text' })?.length).toBe(300);
    expect(slotValue({ type: 'text', text: '050000', at: T }, { type: 'text', pattern: '[0-9]{6}' })).toBe('050000');
    expect(slotValue({ type: 'text', text: '0500001', at: T }, { type: 'text', pattern: '[0-9]{6}' })).toBeNull();
    expect(slotValue({ type: 'image', ref: 'x', at: T }, { type: 'text' })).toBeNull();
  });
});
