/**
 * `npm run eval` — evaluation dispatcher.
 *   npm run eval                 understanding (intents + slots) on engine/understanding/eval/utterances.json
 *   npm run eval -- intents      the same
 *   npm run eval -- understanding --set retailer   words only the catalog knows (eval/retailer-*.json)
 *   npm run eval -- understanding --set designer   a scenario's own intents (eval/designer-*.{yaml,json})
 *   npm run eval -- understanding --set cart       cart, checkout and order status (eval/cart-utterances.json)
 *   npm run eval -- search       catalog search quality (storage/search/eval.ts → runSearchEval())
 *   npm run eval -- search --set retailer   the retailer's own catalog, played as conversations (retailerEval.ts)
 *   npm run eval -- search --set retailer-heldout   the same catalog, cases written after its fixes (held out)
 * Exits non-zero when a score is below its threshold.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import {
  AddedTermsSchema,
  EVAL_THRESHOLD,
  evaluate,
  parseCases,
  withAddedTerms,
  type EvalReport,
} from '../../engine/understanding/eval.ts';
import { DEMO_TAXONOMY, demoVocabulary } from '../../engine/testing/demoTaxonomy.ts';
import {
  buildVocabulary,
  understandText,
  type DesignerIntents,
  type Vocabulary,
} from '../../engine/understanding/index.ts';
import { designerSet } from './designerEval.ts';

const EVAL_DIR = '../../engine/understanding/eval/';
const UTTERANCES = fileURLToPath(new URL(`${EVAL_DIR}utterances.json`, import.meta.url));

/** the retailer's set: its utterances, over the demo taxonomy with the retailer's added terms */
function retailerSet(): { file: string; vocabulary: Vocabulary } {
  const added = JSON.parse(readFileSync(new URL(`${EVAL_DIR}retailer-taxonomy.json`, import.meta.url), 'utf8'));
  return {
    file: fileURLToPath(new URL(`${EVAL_DIR}retailer-utterances.json`, import.meta.url)),
    vocabulary: buildVocabulary(withAddedTerms(DEMO_TAXONOMY, v.parse(AddedTermsSchema, added))),
  };
}

function pct(x: number): string {
  return `${(x * 100).toFixed(1)}%`;
}

function warmMicros(texts: readonly string[], vocabulary: Vocabulary, intents?: DesignerIntents): number {
  const context = { lang: 'ru' as const, ...(intents ? { intents } : {}) };
  for (let pass = 0; pass < 5; pass++) for (const t of texts) understandText(t, context, vocabulary);
  // CPU time rather than wall time: other processes on a busy machine do not inflate it
  const started = process.cpuUsage();
  for (let pass = 0; pass < 20; pass++) for (const t of texts) understandText(t, context, vocabulary);
  const used = process.cpuUsage(started);
  return (used.user + used.system) / Math.max(1, texts.length * 20);
}

function runIntentEval(
  file: string,
  verbose: boolean,
  vocabulary: Vocabulary = demoVocabulary(),
  intents?: DesignerIntents,
): boolean {
  const { cases, errors } = parseCases(readFileSync(file, 'utf8'));
  if (errors.length > 0) {
    console.error(`${file}: ${errors.length} bad line(s):`);
    for (const e of errors.slice(0, 20)) console.error(`  ${e}`);
    return false;
  }
  const report: EvalReport = evaluate(cases, (text, context) =>
    understandText(text, intents ? { ...context, intents } : context, vocabulary),
  );
  const micros = warmMicros(
    cases.map((c) => c.text).filter((t) => t.length <= 200),
    vocabulary,
    intents,
  );

  console.log(`Understanding eval — ${cases.length} utterances (${file.replace(`${process.cwd()}/`, '')})`);
  console.log('');
  console.log('lang   cases   intent acc   slot exact-match');
  const row = (name: string, s: { total: number; intentAccuracy: number; slotExactMatch: number }) =>
    console.log(
      `${name.padEnd(6)} ${String(s.total).padStart(5)}   ${pct(s.intentAccuracy).padStart(10)}   ${pct(s.slotExactMatch).padStart(16)}`,
    );
  for (const lang of Object.keys(report.byLang).sort()) row(lang, report.byLang[lang]!);
  row('all', report);
  console.log('');
  console.log(
    `language detection: named a language for ${report.langDetected}/${report.total}, right on ${pct(report.langCorrect / Math.max(1, report.langDetected))} of those`,
  );
  console.log(
    `speed: ${micros.toFixed(1)} µs CPU per utterance (warm, messages ≤ 200 chars, 20 passes after 5 warm-up)`,
  );
  if (report.failures.length > 0) {
    console.log('');
    console.log(`Failures (${report.failures.length}):`);
    for (const f of report.failures.slice(0, verbose ? Infinity : 60)) {
      console.log(
        `  [${f.lang}] ${f.kind.padEnd(6)} ${JSON.stringify(f.text.length > 90 ? `${f.text.slice(0, 87)}...` : f.text)}`,
      );
      console.log(`          ${f.detail}`);
    }
  }
  const ok = report.intentAccuracy >= EVAL_THRESHOLD && report.slotExactMatch >= EVAL_THRESHOLD;
  console.log('');
  console.log(ok ? `PASS (threshold ${pct(EVAL_THRESHOLD)})` : `FAIL: below threshold ${pct(EVAL_THRESHOLD)}`);
  return ok;
}

async function runSearch(): Promise<boolean> {
  const path = '../../storage/search/eval.ts';
  let mod: { runSearchEval?: () => Promise<boolean> };
  try {
    mod = (await import(path)) as typeof mod;
  } catch (e) {
    const code = (e as { code?: string }).code;
    if (code === 'ERR_MODULE_NOT_FOUND' || /Cannot find module/.test(String(e))) {
      console.error(
        'Search eval is not available yet: storage/search/eval.ts (exporting runSearchEval) does not exist.',
      );
      return false;
    }
    throw e;
  }
  if (typeof mod.runSearchEval !== 'function') {
    console.error('storage/search/eval.ts does not export runSearchEval(): Promise<boolean>.');
    return false;
  }
  return mod.runSearchEval();
}

/** `--set retailer` picks the retailer's catalog and labels; without it the default relevance set runs. */
function setName(args: string[]): string | undefined {
  const i = args.indexOf('--set');
  return i === -1 ? undefined : args[i + 1];
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const verbose = args.includes('--verbose') || args.includes('-v');
  const which = args.find((a, i) => !a.startsWith('-') && args[i - 1] !== '--set' && !/\.jsonl?$/.test(a)) ?? 'intents';
  let ok: boolean;
  switch (which) {
    case 'intents':
    case 'understanding':
      if (setName(args) === 'retailer') {
        const set = retailerSet();
        ok = runIntentEval(set.file, verbose, set.vocabulary);
      } else if (setName(args) === 'designer') {
        const set = await designerSet();
        ok = runIntentEval(set.file, verbose, demoVocabulary(), set.intents);
      } else if (setName(args) === 'cart') {
        ok = runIntentEval(fileURLToPath(new URL(`${EVAL_DIR}cart-utterances.json`, import.meta.url)), verbose);
      } else ok = runIntentEval(args.find((a) => /\.jsonl?$/.test(a)) ?? UTTERANCES, verbose);
      break;
    case 'search':
      if (setName(args) === undefined) ok = await runSearch();
      else if (setName(args) === 'retailer') ok = await (await import('./retailerEval.ts')).runRetailerEval();
      else if (setName(args) === 'retailer-heldout') {
        const { RETAILER_HELDOUT_LABELS } = await import('./retailerSet.ts');
        ok = await (await import('./retailerEval.ts')).runRetailerEval(RETAILER_HELDOUT_LABELS);
      } else {
        console.error(
          `unknown search set "${setName(args) ?? ''}"; use: npm run eval -- search [--set retailer|retailer-heldout]`,
        );
        ok = false;
      }
      break;
    default:
      console.error(`unknown eval "${which}"; use: npm run eval [-- intents|search]`);
      ok = false;
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
