/**
 * A bounded map whose entries expire. Map insertion order doubles as age: a refreshed entry moves
 * to the back, so when the cache is full the front is the oldest and goes first.
 */
export class TtlCache<K, V> {
  readonly #entries = new Map<K, { value: V; expires: number }>();

  constructor(
    readonly ttlMs: number,
    readonly maxEntries: number,
    private readonly now: () => number = Date.now,
  ) {
    if (!(ttlMs > 0) || !(maxEntries > 0))
      throw new RangeError(`TtlCache needs a positive ttl and size (got ${ttlMs} ms, ${maxEntries})`);
  }

  /** the entry, as `{ value }` so that a cached `undefined` (a remembered miss) is told from no entry */
  lookup(key: K): { value: V } | undefined {
    const entry = this.#entries.get(key);
    if (!entry) return undefined;
    if (entry.expires <= this.now()) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry;
  }

  set(key: K, value: V): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expires: this.now() + this.ttlMs });
    if (this.#entries.size > this.maxEntries) this.#entries.delete(this.#entries.keys().next().value as K);
  }

  /** the cached value, or `load`'s (cached) when there is none; a failed load caches nothing */
  async through(key: K, load: () => Promise<V>): Promise<V> {
    const hit = this.lookup(key);
    if (hit) return hit.value;
    const value = await load();
    this.set(key, value);
    return value;
  }

  delete(key: K): void {
    this.#entries.delete(key);
  }

  clear(): void {
    this.#entries.clear();
  }

  get size(): number {
    return this.#entries.size;
  }
}
