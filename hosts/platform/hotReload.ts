import type { OpenedDatabase } from '../../storage/db/open.ts';
import { listBotConfigs } from '../../storage/repos/bot-configs.ts';
import { activePrompt } from '../../storage/repos/prompts.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { RELOAD_CHANNEL } from '../admin/index.ts';
import type { Logger } from '../runtime/ports.ts';
import type { ScenarioRegistry } from '../scenarios/index.ts';
import type { BotSettingsDirectory } from './botSettings.ts';
import type { CityDirectory } from './cities.ts';

type Db = OpenedDatabase['db'];

/** Each city's system prompt by slug: the city's own, else the global one. */
export async function loadSystemPrompts(db: Db, cities: CityDirectory, into: Map<string, string>): Promise<void> {
  into.clear();
  for (const city of cities.list()) {
    const prompt = (await activePrompt(db, 'system', city.id)) ?? (await activePrompt(db, 'system', null));
    if (prompt) into.set(city.slug, prompt.content);
  }
}

/** The scenario each bot config assigns, keyed `channel:city`. */
export async function loadScenarioAssignments(db: Db, cities: CityDirectory, into: Map<string, string>): Promise<void> {
  const configs = await listBotConfigs(db);
  into.clear();
  for (const config of configs) {
    const city = cities.byId(config.cityId);
    if (city && config.scenarioId) into.set(`${config.channel}:${city.slug}`, config.scenarioId);
  }
}

export type ReloadTargets = {
  db: Db;
  cities: CityDirectory;
  scenarios: ScenarioRegistry;
  scenarioAssignments: Map<string, string>;
  prompts: Map<string, string>;
  botSettings: BotSettingsDirectory;
  catalog: { invalidate(): void };
  /** the channels whose bots are bot configs: Telegram's city bots, WhatsApp's business numbers */
  channels: { reload(): Promise<void> | void }[];
  /** what is built from the taxonomy's words, rebuilt on `taxonomy` (notifyCatalogChanged) */
  taxonomy?: { reload(): Promise<void> };
};

/** Reloads what an admin change of `kind` touched; no kind reloads everything. */
export function reloaderFor(t: ReloadTargets): (kind?: string) => Promise<void> {
  return async (kind) => {
    if (!kind || kind === 'catalog' || kind === 'taxonomy') t.catalog.invalidate();
    if (!kind || kind === 'taxonomy') await t.taxonomy?.reload();
    if (kind === 'catalog' || kind === 'taxonomy') return;
    await t.cities.reload();
    await loadScenarioAssignments(t.db, t.cities, t.scenarioAssignments);
    if (!kind || kind === 'scenario' || kind === 'botConfig') await t.scenarios.reload();
    if (!kind || kind === 'prompt' || kind === 'city') await loadSystemPrompts(t.db, t.cities, t.prompts);
    if (!kind || kind === 'botConfig' || kind === 'city') await t.botSettings.reload();
    if (!kind || kind === 'botConfig') for (const channel of t.channels) await channel.reload();
  };
}

/** Listens for the admin API's reload messages (from any replica); returns the unsubscribe. */
export async function subscribeToReloads(
  pubsub: StateBackend['pubsub'],
  reload: (kind?: string) => Promise<void>,
  log: Logger,
): Promise<() => Promise<void>> {
  let reloading = Promise.resolve();
  return pubsub.subscribe(RELOAD_CHANNEL, (message) => {
    let kind: string | undefined;
    try {
      kind = (JSON.parse(message) as { kind?: string }).kind;
    } catch {
      kind = undefined;
    }
    // one reload after another: a slow one started before a save must not finish after, and undo, the next
    reloading = reloading
      .then(() => reload(kind))
      .catch((error: unknown) => log.error({ err: String(error) }, 'hot reload failed'));
  });
}
