import type { Scenario } from '../../engine/index.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { ScenarioPort } from '../runtime/ports.ts';
import { loadScenarioText, type ScenarioProblem } from './load.ts';

/** Designer edits saved through the admin API, newest active version per scenario id. */
export interface ScenarioOverrides {
  activeVersions(): Promise<{ id: string; content: string }[]>;
}
/** Which scenario a city's bot on a channel runs (bot config); undefined → the default. */
export type ScenarioAssignment = (address: ConversationAddress) => string | undefined;

/**
 * The scenarios bots run: the files shipped in `scenarios/`, overridden by designer edits from the
 * database. `reload()` is called on the hot-reload channel, so a saved scenario reaches every
 * running bot without a restart. A broken edit is reported and the last good version keeps serving.
 */
export class ScenarioRegistry implements ScenarioPort {
  #files: ReadonlyMap<string, Scenario>;
  #active = new Map<string, Scenario>();
  #problems: ScenarioProblem[] = [];
  readonly #overrides: ScenarioOverrides | undefined;
  readonly #assignment: ScenarioAssignment;
  readonly #defaultId: string;

  constructor(opts: {
    files: ReadonlyMap<string, Scenario>;
    overrides?: ScenarioOverrides;
    assignment?: ScenarioAssignment;
    defaultId?: string;
  }) {
    this.#files = opts.files;
    this.#overrides = opts.overrides;
    this.#assignment = opts.assignment ?? (() => undefined);
    this.#defaultId = opts.defaultId ?? 'default';
    if (!this.#files.has(this.#defaultId))
      throw new Error(`scenario "${this.#defaultId}" is missing from the scenario files`);
    this.#active = new Map(this.#files);
  }

  async reload(): Promise<ScenarioProblem[]> {
    const next = new Map(this.#files);
    const problems: ScenarioProblem[] = [];
    for (const { id, content } of (await this.#overrides?.activeVersions()) ?? []) {
      const loaded = loadScenarioText(content, `database:${id}`);
      if (loaded.ok) next.set(loaded.scenario.id, loaded.scenario);
      else {
        problems.push(...loaded.errors);
        const previous = this.#active.get(id);
        if (previous) next.set(id, previous);
      }
    }
    this.#active = next;
    this.#problems = problems;
    return problems;
  }

  get problems(): readonly ScenarioProblem[] {
    return this.#problems;
  }

  get(id: string): Scenario | undefined {
    return this.#active.get(id);
  }

  list(): Scenario[] {
    return [...this.#active.values()];
  }

  forConversation(address: ConversationAddress): Scenario {
    const id = this.#assignment(address);
    return (id ? this.#active.get(id) : undefined) ?? this.#active.get(this.#defaultId)!;
  }
}
