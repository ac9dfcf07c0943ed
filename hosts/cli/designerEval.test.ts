import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { demoVocabulary } from '../../engine/testing/demoTaxonomy.ts';
import { EVAL_THRESHOLD, evaluate, parseCases } from '../../engine/understanding/eval.ts';
import { understandText } from '../../engine/understanding/index.ts';
import { designerSet } from './designerEval.ts';

describe('designer intents eval set (npm run eval -- understanding --set designer)', () => {
  it(`loads through the scenario check and keeps intent accuracy at or above ${EVAL_THRESHOLD}`, async () => {
    const set = await designerSet();
    const { cases, errors } = parseCases(readFileSync(set.file, 'utf8'));
    expect(errors).toEqual([]);
    expect(cases.filter((c) => c.expect.intent === 'designer').length).toBeGreaterThanOrEqual(30);
    expect(new Set(cases.map((c) => c.lang))).toEqual(new Set(['ru', 'kk', 'en']));
    const report = evaluate(cases, (text, context) =>
      understandText(text, { ...context, intents: set.intents }, demoVocabulary()),
    );
    expect({
      ok: report.intentAccuracy >= EVAL_THRESHOLD,
      failures: report.failures.map((f) => `[${f.lang}] ${f.text} — ${f.detail}`),
    }).toMatchObject({ ok: true });
  });
});
