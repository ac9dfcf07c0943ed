import { describe, expect, it } from 'vitest';
import { evaluateOn, loadRelevanceSet, ndcgAt, SUCCESS_AT_3_TARGET } from './eval.ts';
import { buildRelevanceSet } from './relevance-build.ts';

describe('search relevance eval', () => {
  it('the committed relevance set is what relevance-build.ts produces from the demo catalog (≥ 100 queries)', () => {
    const committed = loadRelevanceSet();
    expect(committed.queries.length).toBeGreaterThanOrEqual(100);
    expect(committed.queries).toEqual(buildRelevanceSet());
  });

  it('nDCG is 1 for the ideal ranking and lower otherwise', () => {
    expect(ndcgAt(10, ['A', 'B'], { A: 2, B: 1 })).toBe(1);
    expect(ndcgAt(10, ['B', 'A'], { A: 2, B: 1 })).toBeLessThan(1);
    expect(ndcgAt(10, ['X'], { A: 2 })).toBe(0);
  });

  it(`success@3 ≥ ${SUCCESS_AT_3_TARGET} on PGlite with the demo catalog`, async () => {
    const report = await evaluateOn('pglite');
    expect(report.queries).toBeGreaterThanOrEqual(100);
    expect(report.successAt3, JSON.stringify(report.failures.map((f) => f.label))).toBeGreaterThanOrEqual(
      SUCCESS_AT_3_TARGET,
    );
  }, 120_000);
});
