import * as v from 'valibot';
import { getDeadLetter, listDeadLetters, markDeadLetterRetried } from '../../../storage/repos/deadLetters.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import type { Api } from '../http/context.ts';
import { obj, paged, ref } from '../http/docs.ts';
import { notFound, unavailable } from '../http/errors.ts';
import { param, route, type Route } from '../http/route.ts';
import { Paging, qPicklist, qText } from '../http/validate.ts';
import { requireCity } from './lookup.ts';

/**
 * Dead letters: shopper messages the runtime gave up on after repeated failures, and replies it
 * could not deliver (docs/reliability.md). Admins list them and retry one: its message is enqueued
 * again as a new message of the conversation and the dead letter is marked retried.
 */
const ListQuery = v.object({
  status: qPicklist(['new', 'retried'] as const),
  kind: qPicklist(['message', 'delivery'] as const),
  city: qText(64),
  ...Paging,
});

export function deadLetterRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'get',
      path: '/dead-letters',
      roles: ROLE_SETS.admins,
      tag: 'dead letters',
      summary: 'Dead letters, newest first, by status, kind and city',
      description: '`status=new` lists those nobody has retried yet; its `total` is the figure the dashboard shows.',
      query: ListQuery,
      response: paged(ref('DeadLetter')),
      errors: { 404: 'unknown city' },
      handler: async (c, { query }) => {
        const limit = query.limit ?? 20;
        const offset = query.offset ?? 0;
        const city = query.city ? await requireCity(db, query.city) : undefined;
        const page = await listDeadLetters(
          db,
          {
            ...(query.status ? { status: query.status } : {}),
            ...(query.kind ? { kind: query.kind } : {}),
            ...(city ? { cityId: city.id } : {}),
          },
          { limit, offset },
        );
        return c.json({ ...page, limit, offset });
      },
    }),
    route({
      method: 'post',
      path: '/dead-letters/:id/retry',
      roles: ROLE_SETS.admins,
      tag: 'dead letters',
      summary: 'Enqueue a dead letter’s message again and mark it retried',
      description:
        'The message is enqueued as a new message of its conversation (id `<message id>:retry:<dead letter id>`), so ' +
        'retrying one dead letter twice enqueues it once (`outcome: "duplicate"`). A delivery dead letter is retried ' +
        'the same way: the message gets a new turn and new replies.',
      response: obj({ deadLetter: ref('DeadLetter'), outcome: { enum: ['accepted', 'duplicate'] } }),
      errors: { 404: 'no such dead letter', 503: 'this process cannot enqueue messages' },
      handler: async (c) => {
        const letter = await getDeadLetter(db, param(c, 'id'));
        if (!letter) throw notFound('dead letter');
        const retry = api.deps.retryDeadLetter;
        if (!retry) throw unavailable('retrying dead letters needs the conversation runtime');
        const outcome = await retry(letter, `${letter.messageId}:retry:${letter.id}`);
        const after = (await markDeadLetterRetried(db, letter.id, c.get('user').id, api.now())) ?? letter;
        await api.audit(c, {
          action: 'deadLetter.retry',
          entity: 'dead_letter',
          entityId: letter.id,
          before: { status: letter.status },
          after: { status: after.status, outcome },
        });
        return c.json({ deadLetter: after, outcome });
      },
    }),
  ];
}
