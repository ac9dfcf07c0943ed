import type { TemplateParam } from './template.ts';

/**
 * Which city a WhatsApp business phone number serves. The platform wires the source to the bot
 * configs in storage plus the environment (WHATSAPP_PHONE_ID → the default city).
 */

export type WhatsAppNumber = {
  city: string;
  phoneNumberId: string;
  /** the city's approved template for messages outside the 24-hour window */
  templateName?: string;
  /** template language code (default `ru`) */
  templateLang?: string;
  /** languages the template is also approved in: a shopper speaking one of them gets it in theirs */
  templateLangs?: string[];
  /** what fills the template's body variables, in order (default: the channel's setting, `['text']`) */
  templateParams?: TemplateParam[];
};

export interface WhatsAppNumberSource {
  list(): Promise<WhatsAppNumber[]>;
}

/** Cached lookups both ways; a miss refreshes (at most once per `missRefreshMs`) so a new city works without a restart. */
export class NumberDirectory {
  readonly #source: WhatsAppNumberSource;
  readonly #ttlMs: number;
  readonly #missRefreshMs: number;
  readonly #clock: () => number;
  #byPhone = new Map<string, WhatsAppNumber>();
  #byCity = new Map<string, WhatsAppNumber>();
  #loadedAt = -Infinity;
  #loading: Promise<void> | undefined;
  /** bumped by invalidate(): a list read before it is stale even if it arrives after */
  #generation = 0;

  constructor(
    source: WhatsAppNumberSource,
    opts: { ttlMs?: number; missRefreshMs?: number; clock?: () => number } = {},
  ) {
    this.#source = source;
    this.#ttlMs = opts.ttlMs ?? 60_000;
    this.#missRefreshMs = opts.missRefreshMs ?? 5_000;
    this.#clock = opts.clock ?? Date.now;
  }

  async byPhoneId(phoneNumberId: string): Promise<WhatsAppNumber | undefined> {
    await this.#fresh();
    const hit = this.#byPhone.get(phoneNumberId);
    if (hit) return hit;
    if (this.#clock() - this.#loadedAt >= this.#missRefreshMs) await this.#reload();
    return this.#byPhone.get(phoneNumberId);
  }

  async byCity(city: string): Promise<WhatsAppNumber | undefined> {
    await this.#fresh();
    const hit = this.#byCity.get(city);
    if (hit) return hit;
    if (this.#clock() - this.#loadedAt >= this.#missRefreshMs) await this.#reload();
    return this.#byCity.get(city);
  }

  /** call after a bot config changed (the platform's hot-reload channel) */
  invalidate(): void {
    this.#generation += 1;
    this.#loadedAt = -Infinity;
  }

  async #fresh(): Promise<void> {
    if (this.#clock() - this.#loadedAt >= this.#ttlMs) await this.#reload();
  }

  #reload(): Promise<void> {
    this.#loading ??= (async () => {
      try {
        let generation: number;
        let list: WhatsAppNumber[];
        // a lookup that joins a load begun before the last invalidate() must get what was saved since
        do {
          generation = this.#generation;
          list = await this.#source.list();
        } while (generation !== this.#generation);
        const byPhone = new Map<string, WhatsAppNumber>();
        const byCity = new Map<string, WhatsAppNumber>();
        for (const n of list) {
          if (!n.phoneNumberId || !n.city) continue;
          byPhone.set(n.phoneNumberId, n);
          if (!byCity.has(n.city)) byCity.set(n.city, n);
        }
        this.#byPhone = byPhone;
        this.#byCity = byCity;
        this.#loadedAt = this.#clock();
      } finally {
        this.#loading = undefined;
      }
    })();
    return this.#loading;
  }
}
