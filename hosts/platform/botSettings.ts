import { listBotConfigs } from '../../storage/repos/bot-configs.ts';
import type { BotSettings } from '../../storage/repos/bot-settings.ts';
import type { Db } from '../../storage/repos/common.ts';
import type { CityDirectory } from './cities.ts';

/**
 * Each bot's settings (per channel and city) as the turn reads them, without a query per turn.
 * A reload reads every bot config in one query and swaps the whole table in one step, so a turn
 * sees a bot config's settings from one saved version. The platform runs reloads one at a time.
 */
export class BotSettingsDirectory {
  readonly #db: Db;
  readonly #cities: CityDirectory;
  #byBot = new Map<string, BotSettings>();

  constructor(db: Db, cities: CityDirectory) {
    this.#db = db;
    this.#cities = cities;
  }

  /** the settings of a channel's bot in a city (the web playground has no bot config: none) */
  get(city: string, channel: string | undefined): BotSettings {
    return (channel && this.#byBot.get(`${channel}:${city}`)) || {};
  }

  async reload(): Promise<void> {
    const byBot = new Map<string, BotSettings>();
    for (const config of await listBotConfigs(this.#db)) {
      const city = this.#cities.byId(config.cityId);
      if (city) byBot.set(`${config.channel}:${city.slug}`, config.settings);
    }
    this.#byBot = byBot;
  }
}
