import { streamSSE } from 'hono/streaming';
import { ESCALATION_CHANNEL } from '../../../escalations/events.ts';
import type { Api } from '../../http/context.ts';
import { route, type Route } from '../../http/route.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import { findUserById } from '../../store/users.ts';

/** Live escalation updates for the panel, as Server-Sent Events, for as long as the caller may see them. */
export function escalationStreamRoute(api: Api): Route {
  const { db } = api;
  return route({
    method: 'get',
    path: '/escalations/stream',
    roles: ROLE_SETS.anyone,
    tag: 'escalations',
    summary: 'Live updates (Server-Sent Events)',
    description:
      'Events: `ready`, then `escalation.opened` {escalation}, `escalation.message` {escalationId, message}, `escalation.updated` {escalation}; a comment line every 15 s keeps proxies from closing the stream. The server closes the stream when the access token expires or the account is deactivated (checked with every keep-alive); reconnect with a fresh token. Browsers use EventSource with the session cookie.',
    responseContentType: 'text/event-stream',
    response: { type: 'string' },
    handler: (c) =>
      streamSSE(c, async (stream) => {
        const userId = c.get('user').id;
        const expiresAt = c.get('authExpiresAt') as number | undefined;
        const expiresAtMs =
          expiresAt !== undefined && Number.isFinite(expiresAt) ? expiresAt * 1000 : Number.POSITIVE_INFINITY;
        // a stream outlives the request that opened it: it ends when its token expires or the account is deactivated
        // the account is re-read at most once per keep-alive interval however busy the stream is
        let accountCheckedAt = performance.now();
        const stillAllowed = async () => {
          if (api.now().getTime() >= expiresAtMs) return false;
          if (performance.now() - accountCheckedAt < api.options.sseKeepAliveMs) return true;
          accountCheckedAt = performance.now();
          return Boolean((await findUserById(db, userId))?.is_active);
        };
        const queue: string[] = [];
        let wake: (() => void) | undefined;
        const unsubscribe = await api.deps.state.pubsub.subscribe(ESCALATION_CHANNEL, (message) => {
          queue.push(message);
          wake?.();
        });
        stream.onAbort(() => wake?.());
        try {
          await stream.writeSSE({ event: 'ready', data: JSON.stringify({ at: api.now().toISOString() }) });
          while (!stream.aborted && !stream.closed) {
            while (queue.length > 0) {
              const message = queue.shift()!;
              let type = 'message';
              try {
                type = (JSON.parse(message) as { type?: string }).type ?? type;
              } catch {
                continue;
              }
              await stream.writeSSE({ event: type, data: message });
            }
            const untilExpiry = Math.max(0, expiresAtMs - api.now().getTime());
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, Math.min(api.options.sseKeepAliveMs, untilExpiry));
              wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            wake = undefined;
            if (!(await stillAllowed())) break;
            if (queue.length === 0 && !stream.aborted) await stream.write(': keep-alive\n\n');
          }
        } finally {
          await unsubscribe();
        }
      }),
  });
}
