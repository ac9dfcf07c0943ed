/**
 * `npm run bench [-- <name>…]` — every benchmark, or the ones named:
 *   engine         µs per engine step at 1/100/1000 turns, persisted size
 *   search         catalog search p50/p95 over 100,000 products on PostgreSQL and PGlite
 *   state          snapshot CAS, locks, inbox on Redis and embedded
 *   load           simulated shoppers through the real Telegram and WhatsApp webhook paths
 *   conversations  the same dialogue through grammY's conversations plugin (Redis) vs our engine
 *   floor          the I/O of one message in Node.js with no platform logic: the machine's ceiling
 *   ratio          load and floor at one rate: the platform's server CPU per message over the floor's
 *   understanding  the rules brain: µs per message with the demo taxonomy and with 2,000 more terms
 *   onec           a generated 1C exchange (CommerceML) over HTTP: goods per second, peak RSS
 * Numbers are printed, never asserted: speed is measured here, not in tests.
 */
import { runConversationsBench } from './conversations.ts';
import { runEngineBench } from './engine.ts';
import { runFloorBench } from './floor.ts';
import { runLoadBench } from './load.ts';
import { runOnecBench } from './onec.ts';
import { runRatioBench } from './ratio.ts';
import { runSearchBench } from './search.ts';
import { runStateBench } from './state.ts';
import { runUnderstandingBench } from './understanding.ts';

// Imported statically, not on demand: behind a dynamic import esbuild wraps every module in a lazy
// initialiser, and the engine ran ~8 % slower in dist/bench.mjs than in a bundle built like
// dist/server.mjs (no such wrappers) or through tsx.
const BENCHES: Record<string, () => unknown> = {
  engine: runEngineBench,
  search: runSearchBench,
  state: runStateBench,
  load: runLoadBench,
  conversations: runConversationsBench,
  floor: runFloorBench,
  ratio: runRatioBench,
  understanding: runUnderstandingBench,
  onec: runOnecBench,
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = requested.length > 0 ? requested : Object.keys(BENCHES);
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})\n`);
  process.exit(2);
}
console.log(
  `# ZETA benchmarks — node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`,
);
for (const name of names) {
  console.log(`\n## ${name}`);
  await BENCHES[name]!();
}
// a bench that found its run invalid set process.exitCode
process.exit();
