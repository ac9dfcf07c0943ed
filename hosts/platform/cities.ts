import { LANGS, type Lang } from '../../engine/catalog.ts';
import { listCities, type City } from '../../storage/repos/cities.ts';
import type { Db } from '../../storage/repos/common.ts';

/**
 * Conversations and webhooks name cities by slug; the database by id. The directory keeps the
 * mapping in memory (a handful of rows) and is refreshed on the hot-reload channel.
 */
export class CityDirectory {
  #bySlug = new Map<string, City>();
  #byId = new Map<string, City>();
  readonly #db: Db;

  constructor(db: Db) {
    this.#db = db;
  }

  async reload(): Promise<void> {
    const cities = await listCities(this.#db);
    this.#bySlug = new Map(cities.map((c) => [c.slug, c]));
    this.#byId = new Map(cities.map((c) => [c.id, c]));
  }

  bySlug(slug: string): City | undefined {
    return this.#bySlug.get(slug);
  }

  byId(id: string): City | undefined {
    return this.#byId.get(id);
  }

  /** the city, reloading once in case it was created since the last reload */
  async resolve(slug: string): Promise<City | undefined> {
    const known = this.#bySlug.get(slug);
    if (known) return known;
    await this.reload();
    return this.#bySlug.get(slug);
  }

  /** the city's language when the bot speaks it (a city may be set to a language no scenario has) */
  languageOf(slug: string): Lang | undefined {
    const language = this.#bySlug.get(slug)?.language.toLowerCase();
    return (LANGS as readonly string[]).includes(language ?? '') ? (language as Lang) : undefined;
  }

  list(): City[] {
    return [...this.#bySlug.values()];
  }
}
