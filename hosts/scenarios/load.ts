import { readFile, readdir } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { parseDocument } from 'yaml';
import { parseScenario, type Scenario } from '../../engine/index.ts';
import { withChannelTexts } from './shipped.ts';

export type ScenarioProblem = { file: string; path: string; message: string };
export type LoadedScenario = { ok: true; scenario: Scenario } | { ok: false; errors: ScenarioProblem[] };

/**
 * Bounds on a scenario document, checked before it is parsed: parsing YAML costs time per node,
 * and a pasted 10,000-step flow takes seconds to read before the engine can refuse it. The shipped
 * scenario is about 30,000 characters; the engine's own limits (500 steps, 4,000-character texts)
 * fit well within these.
 */
export const MAX_SCENARIO_CHARS = 400_000;
export const MAX_SCENARIO_LINES = 20_000;

function tooLarge(text: string): string | null {
  if (text.length > MAX_SCENARIO_CHARS)
    return `the scenario is ${text.length} characters; at most ${MAX_SCENARIO_CHARS} are read`;
  let lines = 1;
  for (let i = text.indexOf('\n'); i !== -1 && lines <= MAX_SCENARIO_LINES; i = text.indexOf('\n', i + 1)) lines++;
  return lines > MAX_SCENARIO_LINES ? `the scenario has more than ${MAX_SCENARIO_LINES} lines` : null;
}

/**
 * Reads a scenario written by a conversation designer (YAML or JSON) and checks it. Every error
 * names the file, the path inside it and the reason — a broken file never reaches a bot. Channel
 * words a scenario saved before they existed lacks are taken from the shipped default.
 */
export function loadScenarioText(text: string, file: string): LoadedScenario {
  const oversized = tooLarge(text);
  if (oversized) return { ok: false, errors: [{ file, path: '(document)', message: oversized }] };
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      errors: doc.errors.map((e) => ({
        file,
        path: e.linePos?.[0] ? `line ${e.linePos[0].line}, column ${e.linePos[0].col}` : '(document)',
        message: e.message.split('\n')[0] ?? e.message,
      })),
    };
  }
  const parsed = parseScenario(withChannelTexts(doc.toJS()));
  if (!parsed.ok) return { ok: false, errors: parsed.errors.map((e) => ({ file, ...e })) };
  return parsed;
}

export async function loadScenarioFile(path: string): Promise<LoadedScenario> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    return {
      ok: false,
      errors: [{ file: path, path: '(file)', message: error instanceof Error ? error.message : String(error) }],
    };
  }
  return loadScenarioText(text, path);
}

/** Every `*.yaml|*.yml|*.json` scenario directly in `dir`, keyed by its `id`. */
export async function loadScenarioDir(
  dir: string,
): Promise<{ scenarios: Map<string, Scenario>; errors: ScenarioProblem[] }> {
  const scenarios = new Map<string, Scenario>();
  const errors: ScenarioProblem[] = [];
  const names = (await readdir(dir)).filter((n) => ['.yaml', '.yml', '.json'].includes(extname(n))).sort();
  for (const name of names) {
    const loaded = await loadScenarioFile(join(dir, name));
    if (!loaded.ok) errors.push(...loaded.errors);
    else if (scenarios.has(loaded.scenario.id))
      errors.push({
        file: join(dir, name),
        path: 'id',
        message: `scenario id "${loaded.scenario.id}" is used by another file`,
      });
    else scenarios.set(loaded.scenario.id, loaded.scenario);
  }
  return { scenarios, errors };
}
