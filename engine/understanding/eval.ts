import * as v from 'valibot';
import { LangSchema, SearchCriteriaSchema } from '../catalog.ts';
import type { Understanding } from '../intent.ts';
import { AttributeValueSchema, TaxonomyCategorySchema, type Taxonomy } from '../taxonomy.ts';
import type { UnderstandContext } from './index.ts';

/**
 * Scoring of the rules brain against labelled utterances. Pure: parsed cases in, metrics out —
 * the CLI (`npm run eval`) reads the file and prints, the vitest test guards the threshold.
 *
 * - intent accuracy: the intent name is right;
 * - slot exact-match: the intent name is right, every expected slot is equal, and no slot the
 *   label did not expect was produced (`reason` of an escalation is free text and not compared;
 *   `mode` and `sentiment` are compared when the label gives them; `adjust` always).
 */

const ArgsSchema = v.record(v.string(), v.union([v.string(), v.number(), v.boolean()]));

export const EvalCaseSchema = v.object({
  text: v.string(),
  lang: LangSchema,
  context: v.optional(v.object({ criteria: v.optional(SearchCriteriaSchema), focusSku: v.optional(v.string()) })),
  expect: v.object({
    intent: v.string(),
    args: v.optional(ArgsSchema),
    mode: v.optional(v.picklist(['new', 'refine'])),
    adjust: v.optional(v.picklist(['cheaper', 'pricier'])),
    sentiment: v.optional(v.picklist(['neutral', 'angry'])),
  }),
  note: v.optional(v.string()),
});
export type EvalCase = v.InferOutput<typeof EvalCaseSchema>;

export interface EvalFailure {
  text: string;
  lang: string;
  kind: 'intent' | 'slots';
  expected: EvalCase['expect'];
  got: Understanding;
  detail: string;
}

export interface Score {
  total: number;
  intentCorrect: number;
  slotsCorrect: number;
  intentAccuracy: number;
  slotExactMatch: number;
}

export interface EvalReport extends Score {
  byLang: Record<string, Score>;
  failures: EvalFailure[];
  /** language detection: how many answers named a language, and how many of those were right */
  langDetected: number;
  langCorrect: number;
}

const IGNORED_ARGS = new Set(['reason']);

/**
 * Cases from a JSON array (utterances.json: one case per line, diff-friendly) or from JSON
 * Lines text. Bad entries are reported by position, never thrown.
 */
export function parseCases(input: unknown): { cases: EvalCase[]; errors: string[] } {
  const cases: EvalCase[] = [];
  const errors: string[] = [];
  const check = (raw: unknown, where: string): void => {
    const parsed = v.safeParse(EvalCaseSchema, raw);
    if (parsed.success) cases.push(parsed.output);
    else
      errors.push(
        `${where}: ${parsed.issues.map((issue) => `${v.getDotPath(issue) ?? ''} ${issue.message}`).join('; ')}`,
      );
  };
  if (Array.isArray(input)) {
    input.forEach((raw, i) => check(raw, `case ${i + 1}`));
    return { cases, errors };
  }
  if (typeof input !== 'string') return { cases, errors: ['expected a JSON array of cases or JSON Lines text'] };
  const trimmedAll = input.trim();
  if (trimmedAll.startsWith('[')) {
    try {
      return parseCases(JSON.parse(trimmedAll) as unknown);
    } catch (e) {
      return { cases, errors: [`not JSON (${e instanceof Error ? e.message : String(e)})`] };
    }
  }
  input.split('\n').forEach((line, i) => {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('//')) return;
    try {
      check(JSON.parse(trimmed) as unknown, `line ${i + 1}`);
    } catch (e) {
      errors.push(`line ${i + 1}: not JSON (${e instanceof Error ? e.message : String(e)})`);
    }
  });
  return { cases, errors };
}

export function scoreCase(c: EvalCase, got: Understanding): { intentOk: boolean; slotsOk: boolean; detail: string } {
  const intent = got.intent;
  const intentOk = intent.name === c.expect.intent;
  if (!intentOk) return { intentOk, slotsOk: false, detail: `intent ${intent.name} ≠ ${c.expect.intent}` };
  const problems: string[] = [];
  const gotArgs: Record<string, unknown> = 'args' in intent ? { ...intent.args } : {};
  const want = c.expect.args ?? {};
  for (const [k, value] of Object.entries(want)) {
    if (IGNORED_ARGS.has(k)) continue;
    if (!sameValue(k, value, gotArgs[k]))
      problems.push(`${k}: got ${JSON.stringify(gotArgs[k])}, want ${JSON.stringify(value)}`);
  }
  for (const [k, value] of Object.entries(gotArgs)) {
    if (IGNORED_ARGS.has(k) || value === undefined || k in want) continue;
    problems.push(`unexpected ${k}: ${JSON.stringify(value)}`);
  }
  if (intent.name === 'search_products') {
    if (c.expect.mode && intent.mode !== c.expect.mode)
      problems.push(`mode: got ${intent.mode}, want ${c.expect.mode}`);
    if (intent.adjust !== c.expect.adjust)
      problems.push(`adjust: got ${intent.adjust ?? '-'}, want ${c.expect.adjust ?? '-'}`);
  }
  if (c.expect.sentiment && (got.sentiment ?? 'neutral') !== c.expect.sentiment) {
    problems.push(`sentiment: got ${got.sentiment ?? 'neutral'}, want ${c.expect.sentiment}`);
  }
  return { intentOk, slotsOk: problems.length === 0, detail: problems.join('; ') };
}

function sameValue(key: string, want: unknown, got: unknown): boolean {
  if (key === 'query' && typeof want === 'string' && typeof got === 'string') return fold(want) === fold(got);
  return want === got;
}

function fold(s: string): string {
  return s.toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

function emptyScore(): Score {
  return { total: 0, intentCorrect: 0, slotsCorrect: 0, intentAccuracy: 0, slotExactMatch: 0 };
}

function finishScore(s: Score): void {
  s.intentAccuracy = s.total ? s.intentCorrect / s.total : 0;
  s.slotExactMatch = s.total ? s.slotsCorrect / s.total : 0;
}

export function evaluate(
  cases: readonly EvalCase[],
  understand: (text: string, context: UnderstandContext) => Understanding,
): EvalReport {
  const report: EvalReport = { ...emptyScore(), byLang: {}, failures: [], langDetected: 0, langCorrect: 0 };
  for (const c of cases) {
    const ctx: UnderstandContext = { lang: c.lang };
    if (c.context?.criteria) ctx.criteria = c.context.criteria;
    if (c.context?.focusSku) ctx.focusSku = c.context.focusSku;
    const got = understand(c.text, ctx);
    const { intentOk, slotsOk, detail } = scoreCase(c, got);
    if (got.lang) {
      report.langDetected++;
      if (got.lang === c.lang) report.langCorrect++;
    }
    const lang = (report.byLang[c.lang] ??= emptyScore());
    for (const s of [report, lang]) {
      s.total++;
      if (intentOk) s.intentCorrect++;
      if (slotsOk) s.slotsCorrect++;
    }
    if (!slotsOk)
      report.failures.push({
        text: c.text,
        lang: c.lang,
        kind: intentOk ? 'slots' : 'intent',
        expected: c.expect,
        got,
        detail,
      });
  }
  finishScore(report);
  for (const s of Object.values(report.byLang)) finishScore(s);
  return report;
}

export const EVAL_THRESHOLD = 0.95;

/** Terms a retailer added to a taxonomy (eval/retailer-taxonomy.json): categories and enum values by attribute. */
export const AddedTermsSchema = v.object({
  note: v.optional(v.string()),
  categories: v.array(TaxonomyCategorySchema),
  values: v.record(v.string(), v.array(AttributeValueSchema)),
});

/** `taxonomy` with the retailer's added terms, after the ones it had (so its own words keep their order) */
export function withAddedTerms(taxonomy: Taxonomy, added: v.InferOutput<typeof AddedTermsSchema>): Taxonomy {
  return {
    categories: [...taxonomy.categories, ...added.categories],
    attributes: taxonomy.attributes.map((a) =>
      a.kind === 'enum' ? { ...a, values: [...a.values, ...(added.values[a.key] ?? [])] } : a,
    ),
  };
}
