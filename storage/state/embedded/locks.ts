import type { ConversationLock, Lease } from '../types.ts';

type Holder = { owner: symbol; timer: NodeJS.Timeout };
type Waiter = { ttlMs: number; grant: (lease: Lease | undefined) => void; timer: NodeJS.Timeout };
type KeyState = { holder?: Holder; waiters: Waiter[] };

/**
 * In-process keyed mutex with FIFO hand-off and lease expiry. Fencing tokens come from one
 * process-wide counter seeded from the clock (µs), so they increase per key and also across a restart.
 */
export function memoryLocks(): ConversationLock & { close(): void } {
  const keys = new Map<string, KeyState>();
  let fence = Date.now() * 1000;

  function grant(key: string, state: KeyState, ttlMs: number): Lease {
    const owner = Symbol(key);
    const expire = () => {
      if (state.holder?.owner !== owner) return;
      state.holder = undefined;
      handOff(key, state);
    };
    const holder: Holder = { owner, timer: setTimeout(expire, Math.max(1, ttlMs)) };
    holder.timer.unref();
    state.holder = holder;
    const token = ++fence;
    return {
      token,
      async release() {
        if (state.holder?.owner !== owner) return false;
        clearTimeout(holder.timer);
        state.holder = undefined;
        handOff(key, state);
        return true;
      },
      async extend(ttl) {
        if (state.holder?.owner !== owner) return false;
        clearTimeout(holder.timer);
        holder.timer = setTimeout(expire, Math.max(1, ttl));
        holder.timer.unref();
        return true;
      },
    };
  }

  function handOff(key: string, state: KeyState) {
    const next = state.waiters.shift();
    if (next) {
      clearTimeout(next.timer);
      next.grant(grant(key, state, next.ttlMs));
    } else if (!state.holder) {
      keys.delete(key);
    }
  }

  return {
    async acquire(key, ttlMs, waitMs) {
      let state = keys.get(key);
      if (!state) {
        state = { waiters: [] };
        keys.set(key, state);
      }
      if (!state.holder) return grant(key, state, ttlMs);
      if (waitMs <= 0) return undefined;
      const current = state;
      return new Promise<Lease | undefined>((resolve) => {
        const waiter: Waiter = {
          ttlMs,
          grant: resolve,
          timer: setTimeout(() => {
            const index = current.waiters.indexOf(waiter);
            if (index >= 0) current.waiters.splice(index, 1);
            resolve(undefined);
          }, waitMs),
        };
        current.waiters.push(waiter);
      });
    },
    close() {
      for (const state of keys.values()) {
        if (state.holder) clearTimeout(state.holder.timer);
        for (const waiter of state.waiters) {
          clearTimeout(waiter.timer);
          waiter.grant(undefined); // closing: nobody gets the lock any more
        }
      }
      keys.clear();
    },
  };
}
