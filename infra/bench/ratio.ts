import { measureFloor } from './floor.ts';
import { fmt } from './harness/latency.ts';
import { perMessage } from './harness/roundTrips.ts';
import { LOAD_RAMP_SECONDS, runLoad } from './load.ts';

/*
 * What the platform's logic costs on top of a message's bare I/O: the load benchmark (the real
 * platform) and the floor (the same I/O with no platform logic) at the same offered rate, on the
 * same machine, in one run, both against the machine's PostgreSQL + Redis; then the platform's
 * server CPU per answered message over the floor's. A side that could not keep up (answered less
 * than 99 % of the offered rate) measured a backlog, not a cost: the run then exits 1.
 * Price-tag photos are left out of the platform's traffic: the floor has no OCR to compare with;
 * so are purchases (cart, checkout, orders): the floor's I/O is a browsing message's, and the
 * ratio's history was measured on browsing alone.
 * Both sides first run at the rate unmeasured for the same time (BENCH_RATIO_WARMUP_SECONDS, 30 s):
 * what a server costs per message is its cost once warm. V8 optimises a function only after many
 * calls, and the platform has two orders of magnitude more code than the floor: after the load
 * benchmark's own 6-s warm-up its optimising compiler was still busy through the measured phase
 * (321 compilations in 10 s, on V8's helper threads, which the process's CPU time includes) while
 * the floor's few functions were long compiled — a cold platform against a warm floor.
 *
 *   npm run bench -- ratio          BENCH_RATIO_RATE=300 (/s, both sides)   BENCH_RATIO_SECONDS=10
 *                                   BENCH_RATIO_WARMUP_SECONDS=30
 */

/** one side's measured phase */
export type Side = {
  offeredRate: number;
  /** messages answered per second from the first arrival to the last answer */
  answeredRate: number;
  answered: number;
  /** CPU time of the server process over the phase */
  serverCpuMs: number;
};

export const MIN_ANSWERED_SHARE = 0.99;
export const RATIO_TARGET = 1.5;

export const cpuPerMessage = (side: Side): number => side.serverCpuMs / side.answered;

/** whether a side answered at least 99 % of the rate offered to it */
export const keptUp = (side: Side): boolean => side.answeredRate >= MIN_ANSWERED_SHARE * side.offeredRate;

/** the lines the run prints, the verdict line last, and whether it counts (both sides kept up) */
export function ratioReport(rate: number, platform: Side, floor: Side): { lines: string[]; ok: boolean } {
  const sides = { platform, floor };
  const lines = Object.entries(sides).map(
    ([name, side]) =>
      `${name}: ${side.answered} answered, ${fmt(side.answeredRate, 1)}/s of ${side.offeredRate}/s offered, server CPU ${fmt(cpuPerMessage(side), 3)} ms/msg`,
  );
  const behind = Object.entries(sides).filter(([, side]) => !keptUp(side));
  for (const [name, side] of behind) {
    lines.push(
      `${name} answered ${fmt((100 * side.answeredRate) / side.offeredRate, 1)} % of the offered rate (< ${100 * MIN_ANSWERED_SHARE} %): saturated, no ratio`,
    );
  }
  const ratio = cpuPerMessage(platform) / cpuPerMessage(floor);
  lines.push(
    `platform/floor server CPU per message at ${rate}/s: ${Number.isFinite(ratio) ? ratio.toFixed(2) : 'n/a'}× (target ≤ ${RATIO_TARGET}×)`,
  );
  return { lines, ok: behind.length === 0 };
}

export async function runRatioBench(): Promise<void> {
  const rate = Number(process.env.BENCH_RATIO_RATE ?? 300);
  const seconds = Number(process.env.BENCH_RATIO_SECONDS ?? 10);
  const warmup = Number(process.env.BENCH_RATIO_WARMUP_SECONDS ?? 30);
  if (!(rate > 0) || !(seconds > 0) || !(warmup >= 0))
    throw new Error(
      `BENCH_RATIO_RATE and BENCH_RATIO_SECONDS must be positive numbers, BENCH_RATIO_WARMUP_SECONDS not negative (got ${rate}, ${seconds}, ${warmup})`,
    );
  console.log(`… floor at ${rate}/s (${warmup + LOAD_RAMP_SECONDS} s warm-up)`);
  const [floorPhase] = await measureFloor([rate], seconds, warmup + LOAD_RAMP_SECONDS);
  console.log(`… platform (PostgreSQL + Redis) at ${rate}/s (${warmup + LOAD_RAMP_SECONDS} s warm-up)`);
  const load = await runLoad('postgres', {
    rates: [rate],
    seconds,
    warmupSeconds: warmup,
    closed: 0,
    replicas: 1,
    photoShare: 0,
    cartShare: 0,
    orderShare: 0,
  });
  const platformPhase = load.phases.find((p) => p.kind === 'open');
  if (!floorPhase || !platformPhase) throw new Error('ratio: a side measured no phase');
  const floor: Side = {
    offeredRate: rate,
    answeredRate: floorPhase.answeredRate,
    answered: floorPhase.answered,
    serverCpuMs: floorPhase.serverCpuMs,
  };
  const platform: Side = {
    offeredRate: platformPhase.offeredRate,
    answeredRate: platformPhase.answeredRate,
    answered: platformPhase.answered,
    serverCpuMs: platformPhase.server.cpuMs,
  };
  const { trips } = platformPhase;
  const posted = Math.max(1, platformPhase.posted);
  console.log(
    `platform round trips per message: PostgreSQL ${fmt(trips.pg / posted, 2)}, Redis ${fmt(trips.redis / posted, 2)} (${perMessage(trips, posted)})`,
  );
  const { lines, ok } = ratioReport(rate, platform, floor);
  for (const line of lines) console.log(line);
  if (!ok) process.exitCode = 1;
}
