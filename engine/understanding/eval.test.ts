import { describe, expect, it } from 'vitest';
import utterances from './eval/utterances.json' with { type: 'json' };
import * as v from 'valibot';
import { DEMO_TAXONOMY, demoVocabulary } from '../testing/demoTaxonomy.ts';
import retailerTerms from './eval/retailer-taxonomy.json' with { type: 'json' };
import retailerUtterances from './eval/retailer-utterances.json' with { type: 'json' };
import cartUtterances from './eval/cart-utterances.json' with { type: 'json' };
import { AddedTermsSchema, EVAL_THRESHOLD, evaluate, parseCases, scoreCase, withAddedTerms } from './eval.ts';
import { buildVocabulary, understandText } from './index.ts';

describe('understanding eval set', () => {
  const { cases, errors } = parseCases(utterances as unknown);

  it('is well-formed and large enough', () => {
    expect(errors).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(300);
    const langs = new Set(cases.map((c) => c.lang));
    expect([...langs].sort()).toEqual(['en', 'kk', 'ru']);
  });

  it(`keeps intent accuracy and slot exact-match at or above ${EVAL_THRESHOLD}`, () => {
    const report = evaluate(cases, (text, context) => understandText(text, context, demoVocabulary()));
    const failures = report.failures.map((f) => `[${f.lang}] ${f.text.slice(0, 80)} — ${f.detail}`);
    expect({
      intent: report.intentAccuracy >= EVAL_THRESHOLD,
      slots: report.slotExactMatch >= EVAL_THRESHOLD,
      failures,
    }).toMatchObject({
      intent: true,
      slots: true,
    });
  });
});

describe('understanding eval set over words only the catalog knows', () => {
  const { cases, errors } = parseCases(retailerUtterances as unknown);
  const vocabulary = buildVocabulary(withAddedTerms(DEMO_TAXONOMY, v.parse(AddedTermsSchema, retailerTerms)));

  it(`reads the retailer's own terms at or above ${EVAL_THRESHOLD}`, () => {
    expect(errors).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(30);
    const report = evaluate(cases, (text, context) => understandText(text, context, vocabulary));
    const failures = report.failures.map((f) => `[${f.lang}] ${f.text.slice(0, 80)} — ${f.detail}`);
    expect({ slots: report.slotExactMatch >= EVAL_THRESHOLD, failures }).toMatchObject({ slots: true });
  });
});

describe('understanding eval set of buying (cart, checkout, order status)', () => {
  const { cases, errors } = parseCases(cartUtterances as unknown);

  it(`reads the cart's phrasings and keeps their hard negatives at or above ${EVAL_THRESHOLD}`, () => {
    expect(errors).toEqual([]);
    expect(cases.length).toBeGreaterThanOrEqual(60);
    const report = evaluate(cases, (text, context) => understandText(text, context, demoVocabulary()));
    const failures = report.failures.map((f) => `[${f.lang}] ${f.text.slice(0, 80)} — ${f.detail}`);
    expect({ slots: report.slotExactMatch >= EVAL_THRESHOLD, failures }).toMatchObject({ slots: true });
  });
});

describe('scoreCase', () => {
  const base = { text: 'x', lang: 'ru' as const };
  it('counts an unexpected slot as a slot miss', () => {
    const r = scoreCase(
      { ...base, expect: { intent: 'search_products', args: { category: 'sofa' } } },
      {
        intent: { name: 'search_products', args: { category: 'sofa', color: 'red' }, mode: 'new' },
        source: 'rules',
      },
    );
    expect(r).toMatchObject({ intentOk: true, slotsOk: false });
  });
  it('ignores the free-text escalation reason', () => {
    const r = scoreCase(
      { ...base, expect: { intent: 'escalate_to_manager', args: { reason: '' } } },
      {
        intent: { name: 'escalate_to_manager', args: { reason: 'позовите менеджера' } },
        source: 'rules',
      },
    );
    expect(r.slotsOk).toBe(true);
  });
  it('reports bad entries by position', () => {
    expect(parseCases([{ text: 1 }]).errors[0]).toMatch(/^case 1:/);
    expect(parseCases('{"text":"a"}\nnot json').errors.length).toBe(2);
  });
});
