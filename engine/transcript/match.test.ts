import { describe, expect, it } from 'vitest';
import { matchTurn } from './match.ts';
import type { ExpectLine } from './model.ts';
import { parseTranscript } from './parse.ts';
import { renderReplies } from './render.ts';
import type { Reply } from '../replies.ts';

function expects(lines: string): ExpectLine[] {
  const parsed = parseTranscript(`> x\n${lines}`);
  if (!parsed.ok) throw new Error(JSON.stringify(parsed.errors));
  return parsed.transcript.turns[0]!.expects;
}

const item = (sku: string) => ({ id: sku, sku, name: sku, price: 1, currency: 'KZT', available: true });
const replies: Reply[] = [
  { type: 'text', text: 'Нашёл 3 варианта' },
  { type: 'products', items: [item('SOFA-001'), item('SOFA-002')] },
  {
    type: 'choices',
    text: 'Что дальше?',
    options: [
      { id: 'more', label: 'Ещё' },
      { id: 'menu', label: 'Меню' },
    ],
  },
];
const actual = renderReplies(replies);

describe('matchTurn', () => {
  it('matches exact, contains, regex, products and choices in order', () => {
    expect(
      matchTurn(
        expects('< Нашёл 3 варианта\n< [products] SOFA-001, SOFA-002\n< ~ что дальше\n< [choices] Ещё | Меню'),
        actual,
      ),
    ).toEqual({ ok: true });
    expect(matchTurn(expects('< /Нашел|Нашёл \\d+/\n< [products] ~ SOFA-002\n< ...'), actual)).toEqual({ ok: true });
    expect(matchTurn(expects('< ...\n< [choices] ~ меню'), actual)).toEqual({ ok: true });
    expect(matchTurn(expects('< [products] *\n< ...'), actual).ok).toBe(false);
    expect(matchTurn([], actual)).toEqual({ ok: true });
  });

  it('fails on extra, missing or different lines with a readable diff', () => {
    const result = matchTurn(expects('< Нашёл 3 варианта\n< [products] SOFA-002, SOFA-001'), actual);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.diff).toContain('✓ < Нашёл 3 варианта');
    expect(result.diff).toContain('✗ < [products] SOFA-002, SOFA-001');
    expect(result.diff).toContain('  < [products] SOFA-001, SOFA-002');
    expect(result.diff).toContain('+ < [choices] Ещё | Меню');
  });

  it('checks silence', () => {
    expect(matchTurn(expects('< (silence)'), [])).toEqual({ ok: true });
    expect(matchTurn(expects('< (silence)'), actual).ok).toBe(false);
    expect(matchTurn(expects('< ~ Нашёл'), []).ok).toBe(false);
  });

  it('matches a detail card only with [product]', () => {
    const detail = renderReplies([{ type: 'products', view: 'detail', items: [item('BED-001')] }]);
    expect(matchTurn(expects('< [product] BED-001'), detail)).toEqual({ ok: true });
    expect(matchTurn(expects('< [products] BED-001'), detail).ok).toBe(false);
  });
});
