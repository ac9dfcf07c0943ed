import { readFileSync } from 'node:fs';
import { channelTexts, LANGS, type ChannelTexts, type Lang, type Scenario } from '../../../engine/index.ts';
import { loadScenarioText } from '../../scenarios/load.ts';
import { SHIPPED_SCENARIO } from '../../scenarios/shipped.ts';

/** The shipped scenario, for tests that render or read replies the way the runtime has them rendered. */
export function shippedScenario(): Scenario {
  const loaded = loadScenarioText(readFileSync(SHIPPED_SCENARIO, 'utf8'), SHIPPED_SCENARIO);
  if (!loaded.ok) throw new Error(`the shipped scenario does not load: ${JSON.stringify(loaded.errors)}`);
  return loaded.scenario;
}

let shipped: Scenario | undefined;

/** The shipped scenario's channel words in `lang` (what the runtime passes to `send`). */
export function shippedTexts(lang: Lang = 'ru'): ChannelTexts {
  shipped ??= shippedScenario();
  return channelTexts(shipped, lang);
}

/** The channel words of every language of a scenario: what a reader of rendered messages may meet. */
export function textsOfEveryLang(scenario?: Scenario): ChannelTexts[] {
  return LANGS.map((lang) => (scenario ? channelTexts(scenario, lang) : shippedTexts(lang)));
}
