import { step, type EngineEvent, type Persisted, type Product, type Scenario } from '../../engine/index.ts';
import type { AskSpec } from '../../engine/scenario/flowSchema.ts';
import { batch as timeEvents, loadScenario, median, runEvents, type Batch } from './harness/engineSteps.ts';
import { ANSWER_KINDS, purchaseTurns, type PurchaseKind } from './harness/purchase.ts';

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

function conversationAt(scenario: Scenario, turns: number): string | undefined {
  let json: string | undefined;
  for (let i = 0; i < turns - 1; i++) json = runEvents(scenario, json, turn(i));
  return json;
}

type PurchaseTurn = { kind: PurchaseKind; events: EngineEvent[]; from: string | undefined };

/**
 * The purchase's turns from a conversation `turns` long that has just shown sofas, each with the
 * snapshot it starts from. Each is run once through `step` first and checked to do what a shopper
 * sees (a reply, no warning; the answers kept; the order placed), so a changed scenario cannot make
 * the bench time re-asked questions instead.
 */
function purchaseFrom(scenario: Scenario, base: string | undefined, turns: number): PurchaseTurn[] {
  let json = runEvents(scenario, base, turn(turns - 1));
  const placed: string[] = [];
  const out = purchaseTurns(items[0]!, iso(turns)).map(({ kind, events }) => {
    const from = json;
    const effects = events.flatMap((e) => {
      const r = step(scenario, json === undefined ? undefined : (JSON.parse(json) as Persisted), e, {
        channel: 'whatsapp',
        lang: 'ru',
      });
      json = JSON.stringify(r.persisted);
      return r.effects;
    });
    const types = effects.map((e) => e.type);
    if (!types.includes('reply') || types.includes('warning'))
      throw new Error(`purchase turn '${kind}' did not answer as a shopper expects: ${types.join(', ')}`);
    for (const e of effects) if (e.type === 'track' && e.name === 'order_placed') placed.push(kind);
    return { kind, events, from };
  });
  if (placed.join() !== 'place') throw new Error(`the purchase placed no order at its last turn (${placed.join()})`);
  return out;
}

const perMessage = (b: Batch[], steps: number) => ({
  wall: median(b.map((x) => x.wall)) * steps,
  cpu: median(b.map((x) => x.cpu)) * steps,
});

export function runEngineBench(options: { reps?: number; print?: boolean } = {}): EngineBenchResult {
  const reps = options.reps ?? Number(process.env.BENCH_REPS ?? 300);
  const scenario = loadScenario();
  const lengths = [1, 100, 1000];
  const bases = lengths.map((turns) => conversationAt(scenario, turns));
  const searchEvents = lengths.map((turns) => turn(turns - 1));
  const designerEvents = lengths.map((turns) => designerTurn(scenario, turns - 1));
  // the purchase is timed in the middle conversation, beside that length's search turn
  const MID = 1;
  const purchase = purchaseFrom(scenario, bases[MID], lengths[MID]!);
  // warm up the JIT and the memoised machine on every length and turn kind
  lengths.forEach((_, i) => {
    timeEvents(scenario, bases[i], searchEvents[i]!, 200);
    timeEvents(scenario, bases[i], designerEvents[i]!, 200);
  });
  for (const p of purchase) timeEvents(scenario, p.from, p.events, 200);
  // interleave batches so machine noise and GC hit every length and kind alike; report medians
  const samples: Batch[][] = lengths.map(() => []);
  const designer: Batch[][] = lengths.map(() => []);
  const bought: Batch[][] = purchase.map(() => []);
  for (let round = 0; round < 15; round++) {
    lengths.forEach((_, i) => {
      samples[i]?.push(timeEvents(scenario, bases[i], searchEvents[i]!, reps));
      designer[i]?.push(timeEvents(scenario, bases[i], designerEvents[i]!, reps));
    });
    purchase.forEach((p, k) => bought[k]?.push(timeEvents(scenario, p.from, p.events, reps)));
  }
  const rows: EngineBenchResult = lengths.map((turns, i) => {
    const json = runEvents(scenario, bases[i], searchEvents[i]!);
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
  const search = { kind: 'search', steps: searchEvents[MID]!.length, ...perMessage(samples[MID] ?? [], 3) };
  const purchaseRows = purchase.map((p, k) => ({
    kind: p.kind,
    steps: p.events.length,
    ...perMessage(bought[k] ?? [], p.events.length),
  }));
  if (options.print !== false) {
    console.log(
      'engine step (text → understand.done → search.done, JSON round trip per step, whatsapp: 10 messages kept)',
    );
    console.log('turns   µs/step   CPU µs/step   persisted bytes   designer µs/step   designer CPU µs/step');
    for (const r of rows)
      console.log(
        `${String(r.turns).padStart(5)}   ${r.usPerStep.toFixed(1).padStart(7)}   ${r.cpuUsPerStep.toFixed(1).padStart(11)}   ${String(r.bytes).padStart(15)}   ${r.designerUsPerStep.toFixed(1).padStart(16)}   ${r.designerCpuUsPerStep.toFixed(1).padStart(20)}`,
      );
    const mid = rows[MID] ?? rows[0];
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
    printPurchase(lengths[MID]!, search, purchaseRows);
  }
  return rows;
}

type KindRow = { kind: string; steps: number; wall: number; cpu: number };

/** the purchase's turns against the search turn of the same conversation, per message and per step */
function printPurchase(turns: number, search: KindRow, kinds: KindRow[]) {
  console.log(
    `\npurchase turns at ${turns} turns, one shopper message each with the shop's answers fed back (cart → checkout → questions → order), against the search turn`,
  );
  console.log('kind        steps   µs/msg   CPU µs/msg   CPU µs/step   ÷ search, per msg   ÷ search, per step');
  const perStep = (r: KindRow) => r.cpu / r.steps;
  for (const r of [search, ...kinds])
    console.log(
      `${r.kind.padEnd(10)}  ${String(r.steps).padStart(5)}   ${r.wall.toFixed(1).padStart(6)}   ${r.cpu.toFixed(1).padStart(10)}   ${perStep(r).toFixed(1).padStart(11)}   ${(r.cpu / search.cpu).toFixed(2).padStart(16)}×   ${(perStep(r) / perStep(search)).toFixed(2).padStart(17)}×`,
    );
  const answers = kinds.filter((r) => ANSWER_KINDS.includes(r.kind as PurchaseKind));
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / Math.max(1, xs.length);
  const answerMsg = mean(answers.map((r) => r.cpu));
  const answerStep = mean(answers.map(perStep));
  const placing = kinds.find((r) => r.kind === 'place');
  console.log(
    `checkout question answer (${answers.map((r) => r.kind).join(', ')}; mean) / search turn: ${(answerMsg / search.cpu).toFixed(2)}× CPU per message, ${(answerStep / perStep(search)).toFixed(2)}× per step (target ≤ 1.2×)`,
  );
  if (placing)
    console.log(
      `placing the order / search turn: ${(placing.cpu / search.cpu).toFixed(2)}× CPU per message, ${(perStep(placing) / perStep(search)).toFixed(2)}× per step (target ≤ 1.2×)`,
    );
}
