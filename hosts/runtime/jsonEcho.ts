/**
 * Values this process wrote to the state backend as JSON, recalled by that exact text when the
 * text comes back: an inbox item, a conversation's snapshot and a turn's records are mostly read
 * back by the process that wrote them, moments later, and recalling the value spares parsing and
 * validating what this process made itself. Text written elsewhere (another replica, before a
 * restart) is not here and is read as before. A value is recalled once; past `max` the oldest are
 * forgotten. Recalled values are shared, not copied: nothing on the turn path changes them.
 */
export class JsonEcho<T> {
  readonly #values = new Map<string, T>();
  readonly #max: number;

  constructor(max: number) {
    this.#max = max;
  }

  /** remembers `value` under the text it was written as, and returns the text */
  remember(text: string, value: T): string {
    this.#values.delete(text);
    this.#values.set(text, value);
    if (this.#values.size > this.#max) this.#values.delete(this.#values.keys().next().value as string);
    return text;
  }

  /** the value written as `text` by this process, if it is still remembered; forgotten afterwards */
  recall(text: string): T | undefined {
    const value = this.#values.get(text);
    if (value !== undefined) this.#values.delete(text);
    return value;
  }
}
