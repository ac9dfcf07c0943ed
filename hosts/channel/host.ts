import type { Hono } from 'hono';
import type { Channel } from '../../engine/catalog.ts';
import type { ChannelPort, Logger } from '../runtime/ports.ts';

/**
 * The one shape of a channel. `hosts/<channel>/` is made of the same parts with the same names —
 * `inbound.ts` (platform update → engine event and conversation key), `render.ts` (replies and the
 * scenario's channel words → platform payloads), `send.ts` (the ChannelPort: client, retries,
 * limits), `routes.ts` (the webhook) — and one `async create<Channel>Host(runtime, options)` that
 * builds them around a runtime that already exists. The platform registers each host with the runtime's
 * channel directory (below) and mounts its routes.
 */
export interface ChannelHost {
  readonly channel: Channel;
  /** how replies leave and shopper media comes in */
  readonly port: ChannelPort;
  /** the channel's HTTP routes; the platform decides where they are served (web: behind staff auth) */
  readonly routes: Hono;
  /** background work of a worker (long polling, the proactive-send queue); none for most channels */
  start?(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The channels the runtime sends through. The runtime is built first with `ports` (an empty
 * table), and each channel host registers once it is made — the runtime reads the table at turn
 * time, so no part holds a reference to something not yet built.
 */
export class ChannelDirectory {
  readonly ports: Partial<Record<Channel, ChannelPort>> = {};
  readonly #hosts: ChannelHost[] = [];

  register<H extends ChannelHost>(host: H): H {
    if (this.ports[host.channel]) throw new Error(`channel ${host.channel} is registered twice`);
    this.ports[host.channel] = host.port;
    this.#hosts.push(host);
    return host;
  }

  /** background work of every registered channel (the worker role) */
  async start(): Promise<void> {
    for (const host of this.#hosts) await host.start?.();
  }

  /** closes the channels, the last registered first; a failure is logged and the rest still close */
  async close(log: Logger): Promise<void> {
    for (const host of [...this.#hosts].reverse())
      await host
        .close()
        .catch((error: unknown) => log.warn({ channel: host.channel, err: String(error) }, 'close failed'));
  }
}
