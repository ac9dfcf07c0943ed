import * as v from 'valibot';
import {
  activatePromptVersion,
  createPromptVersion,
  listPromptVersions,
  listPrompts,
  rollbackPrompt,
  type Prompt,
} from '../../../storage/repos/prompts.ts';
import { conflict, notFound } from '../http/errors.ts';
import { arr, obj, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { qInt, qText } from '../http/validate.ts';
import { diffLines, unified } from '../http/diff.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { requireCity } from './lookup.ts';
import { badRequest } from '../http/errors.ts';

const NAME = /^[a-z0-9_.-]{1,64}$/;
const City = v.optional(
  v.pipe(v.string(), v.minLength(1), v.description('city id or slug; omit for the global prompt')),
);
const NewVersion = v.strictObject({
  content: v.pipe(v.string(), v.minLength(1, 'content is empty'), v.maxLength(100_000)),
  city: City,
  activate: v.optional(v.boolean(), true),
});
const Activate = v.strictObject({ version: v.pipe(v.number(), v.integer(), v.minValue(1)), city: City });
const Rollback = v.strictObject({ city: City });

export function promptRoutes(api: Api): Route[] {
  const { db } = api;
  const cityId = async (ref?: string) => (ref ? (await requireCity(db, ref)).id : null);
  const name = (raw: string) => {
    if (!NAME.test(raw)) throw badRequest('prompt names are 1–64 of a-z 0-9 _ . -');
    return raw;
  };
  const published = async (p: Prompt) =>
    api.reload({ kind: 'prompt', ...(p.cityId ? { cityId: p.cityId } : {}), id: p.name, version: p.version });

  return [
    route({
      method: 'get',
      path: '/prompts',
      roles: ROLE_SETS.designers,
      tag: 'prompts',
      summary: "Active prompts (all, or one city's plus global)",
      query: v.object({ city: qText(64) }),
      response: obj({ items: arr(ref('Prompt')) }),
      handler: async (c, { query }) => {
        const items = query.city
          ? [...(await listPrompts(db, await cityId(query.city))), ...(await listPrompts(db, null))]
          : await listPrompts(db);
        return c.json({ items });
      },
    }),
    route({
      method: 'get',
      path: '/prompts/:name/versions',
      roles: ROLE_SETS.designers,
      tag: 'prompts',
      summary: 'Every version of a prompt, newest first',
      query: v.object({ city: qText(64) }),
      response: obj({ items: arr(ref('Prompt')) }),
      handler: async (c, { query }) =>
        c.json({ items: await listPromptVersions(db, name(param(c, 'name')), await cityId(query.city)) }),
    }),
    route({
      method: 'get',
      path: '/prompts/:name/diff',
      roles: ROLE_SETS.designers,
      tag: 'prompts',
      summary: 'Line diff between two versions',
      description: 'Defaults: `to` = the active version, `from` = the version before `to`.',
      query: v.object({ city: qText(64), from: qInt(1, 1_000_000), to: qInt(1, 1_000_000) }),
      response: ref('PromptDiff'),
      errors: { 404: 'no such version' },
      handler: async (c, { query }) => {
        const n = name(param(c, 'name'));
        const versions = await listPromptVersions(db, n, await cityId(query.city));
        const to =
          query.to !== undefined
            ? versions.find((p) => p.version === query.to)
            : (versions.find((p) => p.isActive) ?? versions[0]);
        if (!to) throw notFound(`prompt "${n}" version ${query.to ?? '(active)'}`);
        const from =
          query.from !== undefined
            ? versions.find((p) => p.version === query.from)
            : versions.find((p) => p.version < to.version);
        if (!from) throw notFound(`prompt "${n}" version ${query.from ?? `before ${to.version}`}`);
        const lines = diffLines(from.content, to.content);
        return c.json({
          name: n,
          from: from.version,
          to: to.version,
          lines,
          unified: unified(lines, `${n} v${from.version}`, `${n} v${to.version}`),
        });
      },
    }),
    route({
      method: 'post',
      path: '/prompts/:name/versions',
      roles: ROLE_SETS.designers,
      tag: 'prompts',
      summary: 'Save a new version (active by default; hot-reloaded)',
      body: NewVersion,
      response: obj({ prompt: ref('Prompt') }),
      responseStatus: 201,
      handler: async (c, { body }) => {
        const n = name(param(c, 'name'));
        const scope = await cityId(body.city);
        const previous = (await listPromptVersions(db, n, scope)).find((p) => p.isActive);
        const prompt = await createPromptVersion(db, {
          name: n,
          cityId: scope,
          content: body.content,
          activate: body.activate,
          createdBy: c.get('user').id,
        });
        await api.audit(c, {
          action: 'prompt.version',
          entity: 'prompt',
          entityId: `${scope ?? 'global'}:${n}`,
          before: previous ?? null,
          after: prompt,
        });
        if (prompt.isActive) await published(prompt);
        return c.json({ prompt }, 201);
      },
    }),
    route({
      method: 'post',
      path: '/prompts/:name/activate',
      roles: ROLE_SETS.designers,
      tag: 'prompts',
      summary: 'Make a version the active one',
      body: Activate,
      response: obj({ prompt: ref('Prompt') }),
      errors: { 404: 'no such version' },
      handler: async (c, { body }) => {
        const n = name(param(c, 'name'));
        const scope = await cityId(body.city);
        const previous = (await listPromptVersions(db, n, scope)).find((p) => p.isActive);
        const prompt = await activatePromptVersion(db, n, body.version, scope);
        if (!prompt) throw notFound(`prompt "${n}" version ${body.version}`);
        await api.audit(c, {
          action: 'prompt.activate',
          entity: 'prompt',
          entityId: `${scope ?? 'global'}:${n}`,
          before: previous ?? null,
          after: prompt,
        });
        await published(prompt);
        return c.json({ prompt });
      },
    }),
    route({
      method: 'post',
      path: '/prompts/:name/rollback',
      roles: ROLE_SETS.designers,
      tag: 'prompts',
      summary: 'Re-activate the version before the active one',
      body: Rollback,
      response: obj({ prompt: ref('Prompt') }),
      errors: { 404: 'no such prompt', 409: 'nothing to roll back to' },
      handler: async (c, { body }) => {
        const n = name(param(c, 'name'));
        const scope = await cityId(body.city);
        const versions = await listPromptVersions(db, n, scope);
        if (versions.length === 0) throw notFound(`prompt "${n}"`);
        const previous = versions.find((p) => p.isActive);
        const prompt = await rollbackPrompt(db, n, scope);
        if (!prompt) throw conflict('there is no earlier version to roll back to');
        await api.audit(c, {
          action: 'prompt.rollback',
          entity: 'prompt',
          entityId: `${scope ?? 'global'}:${n}`,
          before: previous ?? null,
          after: prompt,
        });
        await published(prompt);
        return c.json({ prompt });
      },
    }),
  ];
}
