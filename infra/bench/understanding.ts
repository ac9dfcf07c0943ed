import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_TAXONOMY } from '../../engine/testing/demoTaxonomy.ts';
import type { Taxonomy } from '../../engine/taxonomy.ts';
import {
  buildVocabulary,
  understandText,
  type DesignerIntents,
  type Vocabulary,
} from '../../engine/understanding/index.ts';
import { checkIntentExamples } from '../../engine/scenario/intents.ts';
import { designerIntents } from './harness/designerIntents.ts';
import { ROOT_DIR } from '../../hosts/platform/root.ts';
import { bigTaxonomy } from './harness/bigTaxonomy.ts';

/*
 * The rules brain's cost per message: CPU µs per utterance over the eval set's messages (≤ 200
 * characters, 1,020 of them), with the demo taxonomy and with a retailer-sized one (2,000 more
 * terms), and what building the vocabulary from each costs. Warm: 5 passes first, then 15 rounds
 * of 3 passes; the median round is reported. Heap figures need `--expose-gc` (the bench bundle's
 * `node --expose-gc dist/bench.mjs understanding`), else they include garbage.
 * Then the same messages with a scenario's 100 designer intents (bench/harness/designerIntents.ts),
 * and what the load-time check of their examples costs.
 *   npm run bench -- understanding
 */

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

function messages(): string[] {
  const path = join(ROOT_DIR, 'engine', 'understanding', 'eval', 'utterances.json');
  return (JSON.parse(readFileSync(path, 'utf8')) as { text: string }[])
    .map((c) => c.text)
    .filter((t) => t.length <= 200);
}

function perMessage(texts: readonly string[], vocabulary: Vocabulary, intents?: DesignerIntents): number {
  const context = { lang: 'ru' as const, ...(intents ? { intents } : {}) };
  const pass = () => {
    for (const t of texts) understandText(t, context, vocabulary);
  };
  for (let i = 0; i < 5; i++) pass();
  const rounds: number[] = [];
  for (let round = 0; round < 15; round++) {
    const cpu = process.cpuUsage();
    for (let i = 0; i < 3; i++) pass();
    const used = process.cpuUsage(cpu);
    rounds.push((used.user + used.system) / (texts.length * 3));
  }
  return median(rounds);
}

/** the first build (a cold JIT, as at a replica's start), the median of the next five, and the heap the vocabulary holds */
function build(taxonomy: Taxonomy): { vocabulary: Vocabulary; firstMs: number; ms: number; heapMb: number } {
  const times: number[] = [];
  for (let i = 0; i < 6; i++) {
    const t = performance.now();
    buildVocabulary(taxonomy);
    times.push(performance.now() - t);
  }
  globalThis.gc?.();
  const heap = process.memoryUsage().heapUsed;
  const vocabulary = buildVocabulary(taxonomy);
  globalThis.gc?.();
  return {
    vocabulary,
    firstMs: times[0]!,
    ms: median(times.slice(1)),
    heapMb: (process.memoryUsage().heapUsed - heap) / 2 ** 20,
  };
}

export function runUnderstandingBench(): void {
  const texts = messages();
  const terms = (t: Taxonomy) =>
    t.categories.length + t.attributes.reduce((n, a) => n + (a.kind === 'enum' ? a.values.length : 0), 0);
  console.log(`rules brain over ${texts.length} messages (the eval set's, ≤ 200 chars), CPU µs per message`);
  console.log('taxonomy              terms   first build ms   build ms   heap MB   µs/message');
  for (const [name, taxonomy] of [
    ['demo (seed)', DEMO_TAXONOMY],
    ['demo + 2,000 terms', bigTaxonomy(DEMO_TAXONOMY, 2_000)],
  ] as const) {
    const built = build(taxonomy);
    const us = perMessage(texts, built.vocabulary);
    console.log(
      `${name.padEnd(20)} ${String(terms(taxonomy)).padStart(6)}   ${built.firstMs.toFixed(0).padStart(14)}   ${built.ms.toFixed(0).padStart(8)}   ${built.heapMb.toFixed(1).padStart(7)}   ${us.toFixed(1).padStart(10)}`,
    );
  }

  const demo = build(DEMO_TAXONOMY).vocabulary;
  const intents = designerIntents(100);
  const without = perMessage(texts, demo);
  const started = performance.now();
  const problems = checkIntentExamples(intents);
  const checkMs = performance.now() - started;
  const withIntents = perMessage(texts, demo, intents);
  const list = Object.values(intents);
  const examples = list.reduce((n, i) => n + i.examples.ru.length + i.examples.kk.length + i.examples.en.length, 0);
  console.log('');
  console.log(`designer intents (demo taxonomy): ${list.length} intents, ${examples} examples`);
  console.log(`  µs/message without: ${without.toFixed(1)}   with: ${withIntents.toFixed(1)}`);
  console.log(
    `  load: compile + every example through the rules brain ${checkMs.toFixed(0)} ms (${problems.length} examples meaning another intent)`,
  );
}
