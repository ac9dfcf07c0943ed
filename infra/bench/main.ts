/**
 * `npm run bench [-- <name>…]` — every benchmark, or the ones named:
 *   engine         µs per engine step at 1/100/1000 turns, persisted size
 *   search         catalog search p50/p95 over 100,000 products on PostgreSQL and PGlite
 *   state          snapshot CAS, locks, inbox on Redis and embedded
 *   load           simulated shoppers through the real Telegram and WhatsApp webhook paths
 *   conversations  the same dialogue through grammY's conversations plugin (Redis) vs our engine
 *   floor          the I/O of one message in Node.js with no platform logic: the machine's ceiling
 *   ratio          load and floor at one rate: the platform's server CPU per message over the floor's
 * Numbers are printed, never asserted: speed is measured here, not in tests.
 */
const BENCHES: Record<string, () => Promise<unknown>> = {
  engine: async () => (await import('./engine.ts')).runEngineBench(),
  search: async () => (await import('./search.ts')).runSearchBench(),
  state: async () => (await import('./state.ts')).runStateBench(),
  load: async () => (await import('./load.ts')).runLoadBench(),
  conversations: async () => (await import('./conversations.ts')).runConversationsBench(),
  floor: async () => (await import('./floor.ts')).runFloorBench(),
  ratio: async () => (await import('./ratio.ts')).runRatioBench(),
};

const requested = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const names = requested.length > 0 ? requested : Object.keys(BENCHES);
const unknown = names.filter((n) => !(n in BENCHES));
if (unknown.length > 0) {
  process.stderr.write(`unknown benchmark: ${unknown.join(', ')} (known: ${Object.keys(BENCHES).join(', ')})\n`);
  process.exit(2);
}
console.log(`# ZETA benchmarks — node ${process.version}, ${(await import('node:os')).cpus().length} cores, ${new Date().toISOString()}`);
for (const name of names) {
  console.log(`\n## ${name}`);
  await BENCHES[name]!();
}
// a bench that found its run invalid set process.exitCode
process.exit();
