import { Redis } from 'ioredis';
import pg from 'pg';

/**
 * Bench-only instrumentation: statements sent to PostgreSQL (pg.Client) and commands sent to
 * Redis (ioredis, BullMQ's clients included) by this process, by name, so a run can say how many
 * of each one message costs. Counting patches the clients' prototypes once per process.
 */
export type RoundTrips = { pg: number; redis: number; redisByCommand: Record<string, number> };

const counts = { pg: 0, redis: 0, redisByCommand: new Map<string, number>() };
let installed = false;

export function countRoundTrips(): void {
  if (installed) return;
  installed = true;
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function countedQuery(this: pg.Client, ...args: unknown[]) {
    counts.pg++;
    return (query as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pg.Client.prototype.query;
  // every command passes here once, pipelined (auto-pipelining, MULTI) or not
  const sendCommand = Redis.prototype.sendCommand;
  Redis.prototype.sendCommand = function countedCommand(this: Redis, ...args: Parameters<Redis['sendCommand']>) {
    const name = (args[0] as { name?: string }).name ?? '?';
    counts.redis++;
    counts.redisByCommand.set(name, (counts.redisByCommand.get(name) ?? 0) + 1);
    return sendCommand.apply(this, args);
  };
}

/** the counts so far */
export function roundTrips(): RoundTrips {
  return { pg: counts.pg, redis: counts.redis, redisByCommand: Object.fromEntries(counts.redisByCommand) };
}

/** what was counted between two readings */
export function roundTripsSince(start: RoundTrips): RoundTrips {
  const now = roundTrips();
  const redisByCommand: Record<string, number> = {};
  for (const [name, n] of Object.entries(now.redisByCommand)) {
    const d = n - (start.redisByCommand[name] ?? 0);
    if (d > 0) redisByCommand[name] = d;
  }
  return { pg: now.pg - start.pg, redis: now.redis - start.redis, redisByCommand };
}

/** `evalsha 2.0, get 0.5, …` per message, most frequent first */
export function perMessage(trips: RoundTrips, messages: number): string {
  const n = Math.max(1, messages);
  return Object.entries(trips.redisByCommand)
    .sort((a, b) => b[1] - a[1])
    .map(([name, count]) => `${name} ${(count / n).toFixed(2)}`)
    .join(', ');
}
