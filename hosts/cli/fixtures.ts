import { readFile, readdir, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from 'valibot';
import { ProductSchema, type Product } from '../../engine/catalog.ts';
import { ImageDescriptionSchema } from '../../engine/events.ts';
import { step, type Persisted, type Scenario } from '../../engine/index.ts';
import {
  createMemoryHost,
  type ImageFixture,
  type MemoryHost,
  type VoiceFixture,
} from '../../engine/testing/memoryHost.ts';
import {
  createEngineTarget,
  formatReplay,
  type EffectExecutor,
  parseTranscript,
  replayTranscript,
  type EffectLog,
  type EngineTarget,
  type ReplayResult,
} from '../../engine/transcript/index.ts';
import { understandText, type Vocabulary } from '../../engine/understanding/index.ts';
import { loadScenarioFile, type ScenarioProblem } from '../scenarios/index.ts';

/** Where scenarios, fixtures and transcripts live (the repository's `scenarios/`). */
export const SCENARIOS_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));
export const TRANSCRIPTS_DIR = join(SCENARIOS_DIR, 'transcripts');

const ImagesManifest = v.object({
  files: v.record(
    v.string(),
    v.object({ ocr: v.optional(v.string()), vision: v.optional(v.nullable(ImageDescriptionSchema)) }),
  ),
});
const VoicesManifest = v.object({ files: v.record(v.string(), v.object({ text: v.string() })) });

export type Fixtures = {
  scenario: Scenario;
  catalog: Product[];
  images: Record<string, ImageFixture>;
  voices: Record<string, VoiceFixture>;
};

async function readJson<T>(path: string, schema: v.GenericSchema<unknown, T>): Promise<T> {
  const raw: unknown = JSON.parse(await readFile(path, 'utf8'));
  const parsed = v.safeParse(schema, raw);
  if (!parsed.success)
    throw new Error(
      `${path}: ${parsed.issues
        .slice(0, 3)
        .map((i) => `${v.getDotPath(i) ?? '(root)'}: ${i.message}`)
        .join('; ')}`,
    );
  return parsed.output;
}

/** A scenario file (`--scenario`) that does not load: every problem with its path and reason. */
export class ScenarioLoadError extends Error {
  constructor(
    readonly file: string,
    readonly problems: readonly ScenarioProblem[],
  ) {
    super(
      `the scenario ${file} does not load (${problems.length} error${problems.length === 1 ? '' : 's'}):\n${problems
        .map((p) => `  ${p.path}: ${p.message}`)
        .join('\n')}`,
    );
    this.name = 'ScenarioLoadError';
  }
}

/** The default scenario (or a designer's file, saved nowhere), the fixture catalog and the photo/voice manifests. */
export async function loadFixtures(scenarioFile = join(SCENARIOS_DIR, 'default.yaml')): Promise<Fixtures> {
  const loaded = await loadScenarioFile(scenarioFile);
  if (!loaded.ok) throw new ScenarioLoadError(scenarioFile, loaded.errors);
  const [catalog, images, voices] = await Promise.all([
    readJson(join(SCENARIOS_DIR, 'fixtures/catalog.json'), v.array(ProductSchema)),
    readJson(join(SCENARIOS_DIR, 'fixtures/images/manifest.json'), ImagesManifest),
    readJson(join(SCENARIOS_DIR, 'fixtures/voice/manifest.json'), VoicesManifest),
  ]);
  return { scenario: loaded.scenario, catalog, images: images.files, voices: voices.files };
}

/** The pure engine on the in-memory host: what `npm test`, `npm run replay` and `npm run chat` drive. */
export function fixtureTarget(
  fixtures: Fixtures,
  onEffect?: (log: EffectLog) => void,
  /** swap parts of the world, e.g. `withCatalog(host, databaseCatalog)` for `chat --db` */
  wrap: (host: MemoryHost) => EffectExecutor = (host) => host,
  /** the catalog's words when they are not the demo taxonomy's (a database's own) */
  vocabulary?: Vocabulary,
): { target: EngineTarget<Persisted>; host: MemoryHost } {
  const host = createMemoryHost({
    catalog: fixtures.catalog,
    images: fixtures.images,
    voices: fixtures.voices,
    intents: fixtures.scenario.intents,
    ...(vocabulary ? { understand: (text, context) => understandText(text, context, vocabulary) } : {}),
  });
  const target = createEngineTarget<Persisted>({
    step: (persisted, event, init) => step(fixtures.scenario, persisted, event, init),
    executor: wrap(host),
    ...(onEffect ? { onEffect } : {}),
  });
  return { target, host };
}

/** `*.transcript` files under the given files and directories, sorted. */
export async function collectTranscripts(paths: readonly string[]): Promise<string[]> {
  const found: string[] = [];
  for (const path of paths) {
    const full = resolve(path);
    const info = await stat(full);
    if (info.isDirectory()) {
      const names = (await readdir(full, { recursive: true })).filter((n) => n.endsWith('.transcript'));
      found.push(...names.map((n) => join(full, n)));
    } else {
      found.push(full);
    }
  }
  return [...new Set(found)].sort();
}

export type FileReplay = { file: string; ok: boolean; report: string; result?: ReplayResult };

/** Parses and replays one transcript file on the fixture world. */
export async function replayFile(file: string, fixtures: Fixtures, name = file): Promise<FileReplay> {
  const parsed = parseTranscript(await readFile(file, 'utf8'), name);
  if (!parsed.ok) {
    return {
      file,
      ok: false,
      report: `✗ ${name} — cannot be read:\n${parsed.errors.map((e) => `    line ${e.line}: ${e.message}`).join('\n')}`,
    };
  }
  const { target } = fixtureTarget(fixtures);
  const result = await replayTranscript(parsed.transcript, target);
  return { file, ok: result.ok, report: formatReplay(result, name), result };
}
