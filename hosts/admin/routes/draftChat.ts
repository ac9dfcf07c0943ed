import * as v from 'valibot';
import { loadScenarioText } from '../../scenarios/load.ts';
import { MAX_DATA_URL_LENGTH, UserId } from '../../web/inbound.ts';
import { unavailable, unprocessable } from '../http/errors.ts';
import { arr, obj } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { asProblems, SCENARIO_MAX_CHARS } from './scenarios.ts';

/** the message fields are the web chat's and are checked by it; these are the draft's own */
const DraftChatBody = v.looseObject({
  userId: UserId,
  scenario: v.pipe(v.string(), v.minLength(1, 'scenario is empty'), v.maxLength(SCENARIO_MAX_CHARS)),
  file: v.optional(v.pipe(v.string(), v.maxLength(200))),
});

/**
 * The playground on an unsaved scenario: the message runs in the draft space (hosts/playground),
 * whose conversations are not the live ones and whose escalations, alerts and leads are only
 * reported as "would have: …".
 */
export function draftChatRoutes(api: Api): Route[] {
  return [
    route({
      method: 'post',
      path: '/chat/:city/draft',
      roles: ROLE_SETS.designers,
      tag: 'playground',
      summary: 'Talk to an unsaved scenario (a draft) as a shopper would; nothing reaches managers or tables',
      description:
        'Body: the `/chat/:city` message (`userId`, `text` | `choice` | `image` | `contact`, `lang`, `messageId`) plus `scenario` (the YAML or JSON text, as the editor holds it) and optionally `file` (named in errors). ' +
        'A scenario that does not load is refused with 422 and `details: [{ file, path, reason }]`. Otherwise `{ replies, simulated: [{ effect, summary }] }`: ' +
        'the effects that would have reached the world (escalate, forwardToManager, createAlert, recordLead, …) were simulated, not carried out; `effect: "error"` names a draft turn that failed. ' +
        'Draft conversations are kept apart from the live ones (for a day) and fire no timers.',
      body: DraftChatBody,
      maxBodyBytes: MAX_DATA_URL_LENGTH + SCENARIO_MAX_CHARS * 4 + 64 * 1024,
      response: obj({
        replies: { type: 'array', items: { type: 'object' } },
        simulated: arr(obj({ effect: { type: 'string' }, summary: { type: 'string' } })),
      }),
      errors: {
        400: 'no userId or scenario, or a message the web chat refuses',
        404: 'unknown city',
        422: 'the draft does not load (details: file, path, reason)',
        503: 'the playground is not wired',
      },
      handler: async (c, { body }) => {
        const drafts = api.deps.drafts;
        if (!drafts) throw unavailable('the draft playground is not available on this server');
        const city = param(c, 'city');
        const loaded = loadScenarioText(body.scenario, body.file ?? 'draft.yaml');
        if (!loaded.ok)
          throw unprocessable(
            'scenario_invalid',
            `the draft has ${loaded.errors.length} error(s)`,
            asProblems(loaded.errors),
          );
        drafts.stage(city, body.userId, loaded.scenario);
        const { scenario: _scenario, file: _file, ...message } = body;
        const url = new URL(c.req.url);
        url.pathname = `/${encodeURIComponent(city)}`;
        const answer = await drafts.routes.fetch(
          new Request(url, {
            method: 'POST',
            headers: { 'content-type': 'application/json' },
            body: JSON.stringify(message),
          }),
        );
        if (!answer.ok) return answer;
        const { replies } = (await answer.json()) as { replies: unknown[] };
        return c.json({ replies, simulated: drafts.simulated(city, body.userId) });
      },
    }),
  ];
}
