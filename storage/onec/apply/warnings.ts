/** What an apply noticed but did not stop for, kept short for the session's report. */
export class Warnings {
  readonly #list: string[] = [];
  readonly #seen = new Set<string>();
  #dropped = 0;

  constructor(private readonly limit = 100) {}

  add(message: string): void {
    if (this.#list.length < this.limit) this.#list.push(message);
    else this.#dropped++;
  }

  /** one warning per `key`, however often it happens */
  once(key: string, message: string): void {
    if (this.#seen.has(key)) return;
    this.#seen.add(key);
    this.add(message);
  }

  list(): string[] {
    return this.#dropped > 0 ? [...this.#list, `… and ${this.#dropped} more`] : [...this.#list];
  }
}
