import { describe, expect, it } from 'vitest';
import { diffLines, jsonText } from './diff.ts';

describe('diffLines', () => {
  it('marks added, removed and kept lines in order', () => {
    expect(diffLines('a\nb\nc', 'a\nx\nc\nd')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'del', text: 'b' },
      { op: 'add', text: 'x' },
      { op: 'same', text: 'c' },
      { op: 'add', text: 'd' },
    ]);
  });
  it('handles empty sides and identical texts', () => {
    expect(diffLines('', 'a')).toEqual([{ op: 'add', text: 'a' }]);
    expect(diffLines('a', '')).toEqual([{ op: 'del', text: 'a' }]);
    expect(diffLines('a\nb', 'a\nb').every((l) => l.op === 'same')).toBe(true);
  });
  it('diffs JSON objects line by line', () => {
    const lines = diffLines(jsonText({ price: 1, name: 'x' }), jsonText({ price: 2, name: 'x' }));
    expect(lines.filter((l) => l.op !== 'same').map((l) => `${l.op}:${l.text.trim()}`)).toEqual([
      'del:"price": 1,',
      'add:"price": 2,',
    ]);
    expect(jsonText(null)).toBe('');
  });
});
