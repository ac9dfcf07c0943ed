import type { OpenedDatabase } from '../../storage/db/open.ts';
import { loadTaxonomy } from '../../storage/taxonomy/index.ts';
import { catalogWords, type CatalogWords } from '../ai/index.ts';

type Db = OpenedDatabase['db'];

/**
 * The retailer's catalog words as the brains read them (the rules brain's vocabulary, the model's
 * tool enums): loaded at start and rebuilt on every taxonomy change any replica announces
 * (`notifyCatalogChanged`, hosts/admin/catalogChanged.ts; the hot reload's `taxonomy` kind). A brain
 * reads `current()` on each call, so the next message after a change already knows the new words.
 */
export class CatalogWordsDirectory {
  readonly #db: Db;
  #words: CatalogWords | undefined;
  #source = '';

  constructor(db: Db) {
    this.#db = db;
  }

  /** reads the taxonomy again; rebuilds only when it changed (a full reload asks too) */
  async reload(): Promise<void> {
    const taxonomy = await loadTaxonomy(this.#db);
    const source = JSON.stringify(taxonomy);
    if (this.#words && source === this.#source) return;
    this.#words = catalogWords(taxonomy);
    this.#source = source;
  }

  readonly current = (): CatalogWords => {
    if (!this.#words) throw new Error('the catalog words are read before they were loaded');
    return this.#words;
  };
}
