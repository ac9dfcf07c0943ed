import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { ROOT_DIR } from '../../hosts/platform/root.ts';
import {
  parseScenario,
  step,
  type EngineEvent,
  type Persisted,
  type Product,
  type Scenario,
} from '../../engine/index.ts';
import type { AskSpec } from '../../engine/scenario/flowSchema.ts';

/*
 * Engine micro-benchmark: microseconds per `step` when the conversation is 1, 100 and 1000 turns
 * long (it must stay flat — the snapshot is bounded), and the persisted size after 1000 turns.
 * A turn is the real loop: shopper text → understand.done (a search intent) → search.done.
 * Each measured step includes the JSON round trip a snapshot store does. Besides wall-clock time,
 * the CPU time of the process per step: on a shared machine, time spent descheduled is not in it.
 *   npm run bench -- engine
 */

export type EngineBenchResult = {
  turns: number;
  usPerStep: number;
  cpuUsPerStep: number;
  bytes: number;
  /** the same conversation, a designer-flow turn instead (menu → three questions → lead) */
  designerUsPerStep: number;
  designerCpuUsPerStep: number;
}[];

const T0 = Date.parse('2026-03-01T09:00:00.000Z');
const iso = (i: number) => new Date(T0 + i * 1_000).toISOString();

function loadScenario(): Scenario {
  const path = join(ROOT_DIR, 'scenarios', 'default.yaml');
  const r = parseScenario(parse(readFileSync(path, 'utf8')));
  if (!r.ok) throw new Error(`default scenario invalid: ${JSON.stringify(r.errors)}`);
  return r.scenario;
}

const COLORS = ['blue', 'grey', 'beige', 'green'] as const;
const items: Product[] = Array.from({ length: 5 }, (_, i) => ({
  id: `p${i}`,
  sku: `SOFA-00${i + 1}`,
  name: `Диван «Модель ${i + 1}» трёхместный`,
  price: 150_000 + i * 20_000,
  currency: 'KZT',
  available: true,
  imageUrl: `https://cdn.example/sofa-${i + 1}.jpg`,
  description: 'Велюр, механизм еврокнижка',
}));

/** the three events of one turn number `i` */
function turn(i: number): EngineEvent[] {
  const at = iso(i);
  const refine = i % 3 !== 0;
  return [
    { type: 'text', text: refine ? `а ${COLORS[i % 4]} есть? до ${200 + (i % 5) * 10} тысяч` : 'покажи диваны', at },
    {
      type: 'understand.done',
      at,
      understanding: {
        intent: refine
          ? {
              name: 'search_products',
              args: { color: COLORS[i % 4], price_max: (200 + (i % 5) * 10) * 1000 },
              mode: 'refine',
            }
          : { name: 'search_products', args: { category: 'sofa' }, mode: 'new' },
        source: 'rules',
      },
    },
    { type: 'search.done', items, total: 23, at },
  ];
}

/** an answer a designer question of this type accepts */
function answer(ask: AskSpec, i: number, at: string): EngineEvent {
  switch (ask.type) {
    case 'number':
      return { type: 'text', text: String(ask.min ?? 1), at };
    case 'phone':
      return { type: 'text', text: `8 701 123 ${String(10 + (i % 89)).padStart(2, '0')} 67`, at };
    case 'datetime':
      return { type: 'text', text: 'завтра с 10 до 12', at };
    case 'choice':
      return { type: 'choice', id: `f:${ask.choices?.[0]?.id ?? ''}`, at };
    case 'photo':
      return { type: 'image', ref: `photo-${i}`, at };
    case 'text':
      return { type: 'text', text: `Абая ${10 + (i % 90)}, кв. ${i % 40}`, at };
    case 'store':
      return { type: 'choice', id: 'f:dostyk', at };
    case 'payment':
      return { type: 'choice', id: 'f:kaspi', at };
  }
}

/**
 * One designer-flow turn: the scenario's first menu item that starts a designer flow (the shipped
 * scenario's measurer), then an answer to each of the flow's questions in order — each a step
 * through a compiled flow state, the last one typically recording a lead.
 */
function designerTurn(scenario: Scenario, i: number): EngineEvent[] {
  const at = iso(i);
  const item = scenario.menu.find((m) => m.action.flow === 'designer');
  const flow = item?.action.flow === 'designer' ? scenario.flows[item.action.name] : undefined;
  if (!item || !flow) throw new Error('the scenario has no designer flow in its menu');
  const asks = flow.steps.flatMap((st) => (st.kind === 'ask' ? [answer(st.ask, i, at)] : []));
  return [{ type: 'choice', id: `menu:${item.id}`, at }, ...asks];
}

/** a store keeps JSON: every step parses the snapshot and serialises the new one */
function runStep(scenario: Scenario, json: string | undefined, event: EngineEvent): string {
  const out = step(scenario, json === undefined ? undefined : (JSON.parse(json) as Persisted), event, {
    channel: 'whatsapp',
    lang: 'ru',
  });
  return JSON.stringify(out.persisted);
}

function conversationAt(scenario: Scenario, turns: number): string | undefined {
  let json: string | undefined;
  for (let i = 0; i < turns - 1; i++) for (const e of turn(i)) json = runStep(scenario, json, e);
  return json;
}

/** µs per step of one turn from `base`, wall-clock and CPU, one batch of `reps` turns */
function batch(
  scenario: Scenario,
  base: string | undefined,
  at: number,
  reps: number,
  events: EngineEvent[] = turn(at),
): { wall: number; cpu: number } {
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let r = 0; r < reps; r++) {
    let json = base;
    for (const e of events) json = runStep(scenario, json, e);
  }
  const used = process.cpuUsage(cpu);
  const steps = reps * events.length;
  return { wall: ((performance.now() - t) * 1000) / steps, cpu: (used.user + used.system) / steps };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

export function runEngineBench(options: { reps?: number; print?: boolean } = {}): EngineBenchResult {
  const reps = options.reps ?? Number(process.env.BENCH_REPS ?? 300);
  const scenario = loadScenario();
  const lengths = [1, 100, 1000];
  const bases = lengths.map((turns) => conversationAt(scenario, turns));
  // warm up the JIT and the memoised machine on every length
  lengths.forEach((turns, i) => batch(scenario, bases[i], turns - 1, 200));
  // interleave batches so machine noise and GC hit every length alike; report medians
  const samples: { wall: number; cpu: number }[][] = lengths.map(() => []);
  const designer: { wall: number; cpu: number }[][] = lengths.map(() => []);
  const designerEvents = lengths.map((turns) => designerTurn(scenario, turns - 1));
  lengths.forEach((turns, i) => batch(scenario, bases[i], turns - 1, 200, designerEvents[i]));
  for (let round = 0; round < 15; round++)
    lengths.forEach((turns, i) => {
      samples[i]?.push(batch(scenario, bases[i], turns - 1, reps));
      designer[i]?.push(batch(scenario, bases[i], turns - 1, reps, designerEvents[i]));
    });
  const rows: EngineBenchResult = lengths.map((turns, i) => {
    const events = turn(turns - 1);
    let json = bases[i];
    for (const e of events) json = runStep(scenario, json, e);
    const batches = samples[i] ?? [];
    return {
      turns,
      usPerStep: median(batches.map((b) => b.wall)),
      cpuUsPerStep: median(batches.map((b) => b.cpu)),
      bytes: Buffer.byteLength(json ?? '', 'utf8'),
      designerUsPerStep: median((designer[i] ?? []).map((b) => b.wall)),
      designerCpuUsPerStep: median((designer[i] ?? []).map((b) => b.cpu)),
    };
  });
  if (options.print !== false) {
    console.log(
      'engine step (text → understand.done → search.done, JSON round trip per step, whatsapp: 10 messages kept)',
    );
    console.log('turns   µs/step   CPU µs/step   persisted bytes   designer µs/step   designer CPU µs/step');
    for (const r of rows)
      console.log(
        `${String(r.turns).padStart(5)}   ${r.usPerStep.toFixed(1).padStart(7)}   ${r.cpuUsPerStep.toFixed(1).padStart(11)}   ${String(r.bytes).padStart(15)}   ${r.designerUsPerStep.toFixed(1).padStart(16)}   ${r.designerCpuUsPerStep.toFixed(1).padStart(20)}`,
      );
    const mid = rows[1] ?? rows[0];
    if (mid)
      console.log(
        `designer-flow step / built-in step at ${mid.turns} turns: ${(mid.designerCpuUsPerStep / (mid.cpuUsPerStep || 1)).toFixed(2)}× CPU, ${(mid.designerUsPerStep / (mid.usPerStep || 1)).toFixed(2)}× wall (target ≤ 1.2×)`,
      );
    const first = rows[0]?.usPerStep ?? 1;
    const last = rows[rows.length - 1];
    const ratio = (last?.usPerStep ?? 0) / first;
    console.log(
      `1000 turns / 1 turn: ${ratio.toFixed(2)}× (target ≤ 1.2×)   persisted after 1000 turns: ${last?.bytes ?? 0} B (target ≤ 4096 B)`,
    );
  }
  return rows;
}
