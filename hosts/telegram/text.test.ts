import { describe, expect, it } from 'vitest';
import { escapeHtml, splitText, truncate } from './text.ts';

describe('escapeHtml', () => {
  it('escapes the three characters Telegram HTML requires', () => {
    expect(escapeHtml('a < b && c > d "q"')).toBe('a &lt; b &amp;&amp; c &gt; d "q"');
  });
});

describe('splitText', () => {
  it('keeps short text whole', () => {
    expect(splitText('Привет!', 4096)).toEqual(['Привет!']);
  });

  it('prefers paragraph, then line, then word boundaries', () => {
    const para = `${'а'.repeat(60)}\n\n${'б'.repeat(60)}`;
    expect(splitText(para, 100)).toEqual(['а'.repeat(60), 'б'.repeat(60)]);
    const lines = `${'a'.repeat(70)}\n${'b'.repeat(70)}`;
    expect(splitText(lines, 100)).toEqual(['a'.repeat(70), 'b'.repeat(70)]);
    const words = Array.from({ length: 40 }, (_, i) => `слово${i}`).join(' ');
    const pieces = splitText(words, 100);
    for (const p of pieces) expect(p.length).toBeLessThanOrEqual(100);
    expect(pieces.join(' ')).toBe(words);
  });

  it('splits 10 000 characters of HTML-significant text into ≤ 4096 pieces whose escaped forms never break an entity', () => {
    const text = Array.from({ length: 2000 }, (_, i) => (i % 3 === 0 ? 'a&b' : i % 3 === 1 ? '<tag>' : 'x y')).join(
      ' ',
    );
    const pieces = splitText(text);
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(4096);
      const html = escapeHtml(p);
      // every & starts a complete entity
      expect(html.match(/&(?!amp;|lt;|gt;)/g)).toBeNull();
    }
    expect(pieces.join(' ').replace(/\s+/g, ' ')).toBe(text.replace(/\s+/g, ' '));
  });

  it('cuts a single long word hard without splitting a surrogate pair', () => {
    const emoji = '😀'.repeat(3000);
    const pieces = splitText(emoji, 4096);
    for (const p of pieces) {
      expect(p.length).toBeLessThanOrEqual(4096);
      expect(/^[\uDC00-\uDFFF]/.test(p)).toBe(false);
    }
    expect(pieces.join('')).toBe(emoji);
  });
});

describe('truncate', () => {
  it('shortens at a word boundary with an ellipsis', () => {
    const t = truncate('Диван Милан угловой с оттоманкой и ящиком', 20);
    expect(t.length).toBeLessThanOrEqual(20);
    expect(t.endsWith('…')).toBe(true);
  });
});
