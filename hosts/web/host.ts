import type { Hono } from 'hono';
import type { ChannelHost } from '../channel/host.ts';
import type { ChannelPort } from '../runtime/ports.ts';
import { webRoutes, type WebRoutesOptions, type WebRuntime } from './routes.ts';
import { webChannel } from './send.ts';

export type WebHost = ChannelHost & {
  readonly channel: 'web';
  readonly port: ChannelPort;
  /** `POST /:city`, `POST /:city/uploads` — the platform serves them at /api/chat behind staff auth */
  readonly routes: Hono;
};

/** The web chat around a running runtime: turns answered in the HTTP response, photos kept as uploads. */
export async function createWebHost(runtime: WebRuntime, opts: WebRoutesOptions): Promise<WebHost> {
  return {
    channel: 'web',
    port: webChannel(opts.uploads),
    routes: webRoutes(runtime, opts),
    async close() {},
  };
}
