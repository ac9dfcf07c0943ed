import { readdir, readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import * as v from 'valibot';
import { scenarioGraph } from '../../../engine/index.ts';
import {
  activateScenarioVersion,
  activeScenario,
  listActiveScenarios,
  listScenarioVersions,
  saveScenarioVersion,
  type ScenarioVersion,
} from '../../../storage/repos/scenarios.ts';
import { loadScenarioText, type ScenarioProblem } from '../../scenarios/load.ts';
import { notFound, unprocessable } from '../http/errors.ts';
import { arr, obj, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { ROLE_SETS } from '../auth/roles.ts';

/** the longest scenario text the panel may send */
export const SCENARIO_MAX_CHARS = 500_000;
const Content = v.pipe(v.string(), v.minLength(1, 'content is empty'), v.maxLength(SCENARIO_MAX_CHARS));
const ValidateBody = v.strictObject({ content: Content, file: v.optional(v.pipe(v.string(), v.maxLength(200))) });
const SaveBody = v.strictObject({ content: Content, activate: v.optional(v.boolean(), true) });
const ActivateBody = v.strictObject({ version: v.pipe(v.number(), v.integer(), v.minValue(1)) });

type Problem = { file: string; path: string; reason: string };
export const asProblems = (errors: ScenarioProblem[]): Problem[] =>
  errors.map((e) => ({ file: e.file, path: e.path, reason: e.message }));

/** the scenario files shipped with the platform, by id, with their text (the registry only keeps the parsed form) */
async function shippedFiles(dir: string | undefined): Promise<Map<string, { file: string; content: string }>> {
  const out = new Map<string, { file: string; content: string }>();
  if (!dir) return out;
  let names: string[];
  try {
    names = (await readdir(dir)).filter((n) => ['.yaml', '.yml', '.json'].includes(extname(n))).sort();
  } catch {
    return out;
  }
  for (const name of names) {
    const content = await readFile(join(dir, name), 'utf8');
    const loaded = loadScenarioText(content, name);
    if (loaded.ok && !out.has(loaded.scenario.id)) out.set(loaded.scenario.id, { file: name, content });
  }
  return out;
}

export function scenarioRoutes(api: Api): Route[] {
  const { db } = api;
  const versionsOf = (list: ScenarioVersion[]) =>
    list.map((s) => ({
      version: s.version,
      isActive: s.isActive,
      createdAt: s.createdAt,
      createdBy: s.createdBy ?? null,
    }));

  /** validated text or a 422 naming file, path and reason — nothing is saved */
  function check(content: string, file: string, expectedId?: string) {
    const loaded = loadScenarioText(content, file);
    if (!loaded.ok)
      throw unprocessable(
        'scenario_invalid',
        `the scenario has ${loaded.errors.length} error(s)`,
        asProblems(loaded.errors),
      );
    if (expectedId && loaded.scenario.id !== expectedId) {
      throw unprocessable('scenario_invalid', 'the id inside the file differs from the URL', [
        { file, path: 'id', reason: `expected "${expectedId}", found "${loaded.scenario.id}"` },
      ]);
    }
    return loaded.scenario;
  }

  async function reloadRegistry(): Promise<void> {
    // this replica answers GETs at once; the others reload on the zeta:reload message
    await api.deps.scenarios
      ?.reload()
      .catch((error: unknown) => api.deps.log?.warn({ err: error }, 'scenario registry reload failed'));
  }

  return [
    route({
      method: 'get',
      path: '/scenarios',
      roles: ROLE_SETS.designers,
      tag: 'scenarios',
      summary: 'Scenarios: shipped files and designer edits',
      response: obj({
        items: arr(
          obj({
            id: { type: 'string' },
            name: { type: 'string' },
            version: { type: 'integer' },
            source: { enum: ['file', 'database'] },
            activeVersion: { anyOf: [{ type: 'integer' }, { type: 'null' }] },
          }),
        ),
        problems: arr(ref('ScenarioProblem')),
      }),
      handler: async (c) => {
        const files = await shippedFiles(api.deps.scenarioDir);
        const edits = new Map((await listActiveScenarios(db)).map((s) => [s.id, s]));
        const ids = new Set([...files.keys(), ...edits.keys(), ...(api.deps.scenarios?.list().map((s) => s.id) ?? [])]);
        const items = [...ids].sort().map((id) => {
          const edit = edits.get(id);
          const content = edit?.content ?? files.get(id)?.content;
          const parsed = content ? loadScenarioText(content, id) : undefined;
          const scenario = parsed?.ok ? parsed.scenario : api.deps.scenarios?.get(id);
          return {
            id,
            name: scenario?.name ?? id,
            version: scenario?.version ?? 0,
            source: edit ? 'database' : 'file',
            activeVersion: edit?.version ?? null,
          };
        });
        return c.json({ items, problems: asProblems([...(api.deps.scenarios?.problems ?? [])]) });
      },
    }),
    route({
      method: 'post',
      path: '/scenarios/validate',
      roles: ROLE_SETS.designers,
      tag: 'scenarios',
      summary: 'Check a scenario text without saving',
      body: ValidateBody,
      response: obj({ ok: { type: 'boolean' }, errors: arr(ref('ScenarioProblem')), graph: ref('ScenarioGraph') }, [
        'ok',
        'errors',
      ]),
      handler: async (c, { body }) => {
        const loaded = loadScenarioText(body.content, body.file ?? 'scenario.yaml');
        if (!loaded.ok) return c.json({ ok: false, errors: asProblems(loaded.errors) });
        return c.json({ ok: true, errors: [], graph: scenarioGraph(loaded.scenario) });
      },
    }),
    route({
      method: 'get',
      path: '/scenarios/:id',
      roles: ROLE_SETS.designers,
      tag: 'scenarios',
      summary: 'A scenario: YAML text, its state machine as a graph, and versions',
      response: obj({ scenario: ref('Scenario') }),
      errors: { 404: 'no such scenario' },
      handler: async (c) => {
        const id = param(c, 'id');
        const [edit, versions, files] = await Promise.all([
          activeScenario(db, id),
          listScenarioVersions(db, id),
          shippedFiles(api.deps.scenarioDir),
        ]);
        const file = files.get(id);
        const content = edit?.content ?? file?.content;
        const parsed = content ? loadScenarioText(content, file?.file ?? `${id}.yaml`) : undefined;
        const scenario = parsed?.ok ? parsed.scenario : api.deps.scenarios?.get(id);
        if (!scenario) throw notFound(`scenario "${id}"`);
        return c.json({
          scenario: {
            id,
            source: edit ? 'database' : 'file',
            activeVersion: edit?.version ?? null,
            ...(content ? { content } : {}),
            ...(file ? { file: file.file } : {}),
            graph: scenarioGraph(scenario),
            versions: versionsOf(versions),
          },
        });
      },
    }),
    route({
      method: 'get',
      path: '/scenarios/:id/versions',
      roles: ROLE_SETS.designers,
      tag: 'scenarios',
      summary: 'Saved versions with their text',
      response: obj({
        items: arr(
          obj({
            version: { type: 'integer' },
            isActive: { type: 'boolean' },
            content: { type: 'string' },
            createdAt: { type: 'string' },
          }),
        ),
      }),
      handler: async (c) =>
        c.json({
          items: (await listScenarioVersions(db, param(c, 'id'))).map((s) => ({
            version: s.version,
            isActive: s.isActive,
            content: s.content,
            createdAt: s.createdAt,
            createdBy: s.createdBy ?? null,
          })),
        }),
    }),
    route({
      method: 'put',
      path: '/scenarios/:id',
      roles: ROLE_SETS.designers,
      tag: 'scenarios',
      summary: 'Save a new version if it is valid (active by default; hot-reloaded)',
      description:
        'A scenario with errors is refused with 422 and `details: [{ file, path, reason }]`; nothing is saved. Publishes `{ kind: "scenario", id, version }` on zeta:reload.',
      body: SaveBody,
      response: obj({ version: { type: 'integer' }, isActive: { type: 'boolean' }, graph: ref('ScenarioGraph') }),
      errors: { 422: 'invalid scenario (details: file, path, reason)' },
      handler: async (c, { body }) => {
        const id = param(c, 'id');
        const scenario = check(body.content, `${id}.yaml`, id);
        const before = await activeScenario(db, id);
        const saved = await saveScenarioVersion(db, {
          id,
          content: body.content,
          activate: body.activate,
          createdBy: c.get('user').id,
        });
        await api.audit(c, {
          action: 'scenario.save',
          entity: 'scenario',
          entityId: id,
          before: before ? { version: before.version, content: before.content } : null,
          after: { version: saved.version, content: saved.content, isActive: saved.isActive },
        });
        if (saved.isActive) {
          await reloadRegistry();
          await api.reload({ kind: 'scenario', id, version: saved.version });
        }
        return c.json({ version: saved.version, isActive: saved.isActive, graph: scenarioGraph(scenario) });
      },
    }),
    route({
      method: 'post',
      path: '/scenarios/:id/activate',
      roles: ROLE_SETS.designers,
      tag: 'scenarios',
      summary: 'Make a saved version the active one (also how to roll back)',
      body: ActivateBody,
      response: obj({ version: { type: 'integer' }, isActive: { type: 'boolean' } }),
      errors: { 404: 'no such version', 422: 'that version no longer validates' },
      handler: async (c, { body }) => {
        const id = param(c, 'id');
        const target = (await listScenarioVersions(db, id)).find((s) => s.version === body.version);
        if (!target) throw notFound(`scenario "${id}" version ${body.version}`);
        check(target.content, `${id}.yaml`, id);
        const before = await activeScenario(db, id);
        const saved = await activateScenarioVersion(db, id, body.version);
        if (!saved) throw notFound(`scenario "${id}" version ${body.version}`);
        await api.audit(c, {
          action: 'scenario.activate',
          entity: 'scenario',
          entityId: id,
          before: before ? { version: before.version } : null,
          after: { version: saved.version },
        });
        await reloadRegistry();
        await api.reload({ kind: 'scenario', id, version: saved.version });
        return c.json({ version: saved.version, isActive: true });
      },
    }),
  ];
}
