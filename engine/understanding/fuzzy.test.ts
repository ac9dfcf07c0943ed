import { describe, expect, it } from 'vitest';
import { withinOneEdit } from './fuzzy.ts';

describe('withinOneEdit', () => {
  it.each([
    ['диван', 'диван', true],
    ['дтван', 'диван', true],
    ['дивн', 'диван', true],
    ['диваан', 'диван', true],
    ['дивна', 'диван', true],
    ['крвать', 'кровать', true],
    ['крсло', 'кресло', true],
    ['дива', 'диван', true],
    ['иван', 'диван', true],
    ['двина', 'диван', false],
    ['стол', 'стул', true],
    ['стол', 'стулья', false],
    ['abc', 'cab', false],
    ['ab', 'ba', true],
    ['aab', 'aba', true],
    ['aaab', 'abaa', false],
    ['', 'a', true],
    ['', 'ab', false],
    ['abcd', 'abdc', true],
    ['abcd', 'badc', false],
    ['aa', 'aaa', true],
    ['aba', 'aa', true],
    ['abca', 'aa', false],
  ])('%s ~ %s → %s', (a, b, want) => {
    expect(withinOneEdit(a, b)).toBe(want);
    expect(withinOneEdit(b, a)).toBe(want);
  });
});
