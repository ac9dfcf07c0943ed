import type { StateBackend, Turnstile } from './types.ts';

/*
 * Argument checks shared by both backends, so a programming error (an empty key, NaN TTL, an
 * invalid Date) fails loudly with a clear message instead of becoming a strange Redis or SQL error.
 */

export class StateArgumentError extends TypeError {
  override readonly name = 'StateArgumentError';
}

function key(what: string, value: unknown): void {
  if (typeof value !== 'string' || value.length === 0)
    throw new StateArgumentError(`${what} must be a non-empty string`);
  if (value.length > 1024) throw new StateArgumentError(`${what} is longer than 1024 characters`);
}
function text(what: string, value: unknown): void {
  if (typeof value !== 'string') throw new StateArgumentError(`${what} must be a string`);
}
function positive(what: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0)
    throw new StateArgumentError(`${what} must be a positive number`);
}
function nonNegative(what: string, value: unknown): void {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0)
    throw new StateArgumentError(`${what} must be a number ≥ 0`);
}
function version(value: unknown): void {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0)
    throw new StateArgumentError('expectedVersion must be an integer ≥ 0');
}
function date(what: string, value: unknown): void {
  if (!(value instanceof Date) || Number.isNaN(value.getTime()))
    throw new StateArgumentError(`${what} must be a valid Date`);
}

export function checked(backend: StateBackend): StateBackend {
  const { snapshots, locks, idempotency, rateLimiter, pubsub, timers, inbox, outbox, gate } = backend;
  return {
    kind: backend.kind,
    close: () => backend.close(),
    snapshots: {
      read: async (k) => (key('snapshot key', k), snapshots.read(k)),
      write: async (k, data, expected, ttl) => {
        key('snapshot key', k);
        text('snapshot data', data);
        version(expected);
        if (ttl !== undefined) nonNegative('ttlSeconds', ttl);
        return snapshots.write(k, data, expected, ttl);
      },
      delete: async (k) => (key('snapshot key', k), snapshots.delete(k)),
      replace: async (k, data, expected) => {
        key('snapshot key', k);
        text('snapshot data', data);
        version(expected);
        if (expected < 1)
          throw new StateArgumentError('replace needs the expected version of an existing snapshot (≥ 1)');
        return snapshots.replace(k, data, expected);
      },
      scan: (pageSize) => {
        if (pageSize !== undefined) positive('pageSize', pageSize);
        return snapshots.scan(pageSize);
      },
    },
    locks: {
      acquire: async (k, ttlMs, waitMs) => {
        key('lock key', k);
        positive('ttlMs', ttlMs);
        nonNegative('waitMs', waitMs);
        return locks.acquire(k, ttlMs, waitMs);
      },
    },
    idempotency: {
      claim: async (k, ttl) => (key('idempotency key', k), positive('ttlSeconds', ttl), idempotency.claim(k, ttl)),
    },
    rateLimiter: {
      hit: async (k, limit, windowMs) => {
        key('rate key', k);
        nonNegative('limit', limit);
        positive('windowMs', windowMs);
        return rateLimiter.hit(k, limit, windowMs);
      },
    },
    pubsub: {
      publish: async (channel, message) => (
        key('channel', channel), text('message', message), pubsub.publish(channel, message)
      ),
      subscribe: async (channel, handler) => {
        key('channel', channel);
        if (typeof handler !== 'function') throw new StateArgumentError('handler must be a function');
        return pubsub.subscribe(channel, handler);
      },
    },
    timers: {
      schedule: async (id, dueAt, payload) => (
        key('timer id', id), date('dueAt', dueAt), text('timer payload', payload), timers.schedule(id, dueAt, payload)
      ),
      cancel: async (id) => (key('timer id', id), timers.cancel(id)),
      start: (handler) => timers.start(handler),
      stop: () => timers.stop(),
    },
    inbox: {
      accept: async (conversation, item) => {
        key('conversation key', conversation);
        key('inbox item id', item?.id);
        text('inbox payload', item?.payload);
        return inbox.accept(conversation, item);
      },
      peek: async (conversation) => (key('conversation key', conversation), inbox.peek(conversation)),
      ack: async (conversation, id, record) => {
        key('conversation key', conversation);
        key('inbox item id', id);
        if (record !== undefined) text('record', record);
        return inbox.ack(conversation, id, record);
      },
      pendingConversations: () => inbox.pendingConversations(),
    },
    outbox: {
      take: async (max, reclaimMs) => (
        positive('max', max), positive('reclaimMs', reclaimMs), outbox.take(Math.floor(max), reclaimMs)
      ),
      done: async (ids) => {
        if (!Array.isArray(ids) || ids.some((id) => typeof id !== 'string' || id.length === 0))
          throw new StateArgumentError('ids must be non-empty strings');
        return ids.length === 0 ? undefined : outbox.done(ids);
      },
      size: () => outbox.size(),
    },
    gate: {
      enter: async (conversation, ttlMs, waitMs) => {
        key('conversation key', conversation);
        positive('ttlMs', ttlMs);
        nonNegative('waitMs', waitMs);
        const turnstile = await gate.enter(conversation, ttlMs, waitMs);
        return turnstile && checkedTurnstile(turnstile);
      },
      acceptAndEnter: async (conversation, item, ttlMs) => {
        key('conversation key', conversation);
        key('inbox item id', item?.id);
        text('inbox payload', item?.payload);
        positive('ttlMs', ttlMs);
        const entered = await gate.acceptAndEnter(conversation, item, ttlMs);
        return entered.turnstile ? { ...entered, turnstile: checkedTurnstile(entered.turnstile) } : entered;
      },
    },
  };
}

function checkedTurnstile(turnstile: Turnstile): Turnstile {
  const advance = turnstile.advance.bind(turnstile);
  return Object.assign(turnstile, {
    advance: async (id: string, record?: string) => {
      key('inbox item id', id);
      if (record !== undefined) text('record', record);
      return advance(id, record);
    },
  });
}
