import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import type { ScenarioIntents } from '../../engine/scenario/index.ts';
import { loadScenarioText } from '../scenarios/load.ts';

const EVAL_DIR = new URL('../../engine/understanding/eval/', import.meta.url);
const DEFAULT_SCENARIO = new URL('../../scenarios/default.yaml', import.meta.url);

/**
 * The designer-intents set: the shipped scenario with `eval/designer-intents.yaml` as its `intents:`
 * section, loaded like any designer's file (so every example passes the load check first), and the
 * shopper phrasings of `eval/designer-utterances.json`, written apart from the examples.
 */
export async function designerSet(): Promise<{ file: string; intents: ScenarioIntents }> {
  const scenario = parse(readFileSync(DEFAULT_SCENARIO, 'utf8')) as Record<string, unknown>;
  const { intents } = parse(readFileSync(new URL('designer-intents.yaml', EVAL_DIR), 'utf8')) as { intents: unknown };
  const loaded = loadScenarioText(JSON.stringify({ ...scenario, intents }), 'designer-intents.yaml');
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => `${e.file}: ${e.path}: ${e.message}`).join('\n'));
  return { file: fileURLToPath(new URL('designer-utterances.json', EVAL_DIR)), intents: loaded.scenario.intents };
}
