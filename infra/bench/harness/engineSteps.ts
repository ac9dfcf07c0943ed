import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { parse } from 'yaml';
import { parseScenario, step, type EngineEvent, type Persisted, type Scenario } from '../../../engine/index.ts';
import { ROOT_DIR } from '../../../hosts/platform/root.ts';

/**
 * What the engine benchmark times: `step` over the shipped scenario with the JSON round trip a
 * snapshot store does around every step, in batches whose wall-clock and CPU time are divided by
 * the steps they ran.
 */

export function loadScenario(): Scenario {
  const path = join(ROOT_DIR, 'scenarios', 'default.yaml');
  const r = parseScenario(parse(readFileSync(path, 'utf8')));
  if (!r.ok) throw new Error(`default scenario invalid: ${JSON.stringify(r.errors)}`);
  return r.scenario;
}

/** a store keeps JSON: every step parses the snapshot and serialises the new one */
export function runStep(scenario: Scenario, json: string | undefined, event: EngineEvent): string {
  const out = step(scenario, json === undefined ? undefined : (JSON.parse(json) as Persisted), event, {
    channel: 'whatsapp',
    lang: 'ru',
  });
  return JSON.stringify(out.persisted);
}

/** the snapshot after `events`, one step each, from `json` */
export function runEvents(scenario: Scenario, json: string | undefined, events: readonly EngineEvent[]) {
  let out = json;
  for (const e of events) out = runStep(scenario, out, e);
  return out;
}

export type Batch = { wall: number; cpu: number };

/** µs per step of `events` from `base`, wall-clock and CPU, over `reps` repetitions */
export function batch(
  scenario: Scenario,
  base: string | undefined,
  events: readonly EngineEvent[],
  reps: number,
): Batch {
  const t = performance.now();
  const cpu = process.cpuUsage();
  for (let r = 0; r < reps; r++) runEvents(scenario, base, events);
  const used = process.cpuUsage(cpu);
  const steps = reps * events.length;
  return { wall: ((performance.now() - t) * 1000) / steps, cpu: (used.user + used.system) / steps };
}

export const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;
