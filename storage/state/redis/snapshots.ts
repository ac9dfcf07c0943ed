import type { Redis } from 'ioredis';
import type { CasResult, SnapshotStore, StoredSnapshot } from '../types.ts';
import { guard } from './connection.ts';
import { lua } from './script.ts';

// KEYS[1] snapshot hash; ARGV expectedVersion, data, ttlMs (0 = keep forever)
const CAS = lua(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if cur ~= tonumber(ARGV[1]) then return {0, cur} end
local nv = cur + 1
redis.call('HSET', KEYS[1], 'v', nv, 'd', ARGV[2])
local ttl = tonumber(ARGV[3])
if ttl > 0 then redis.call('PEXPIRE', KEYS[1], ttl) else redis.call('PERSIST', KEYS[1]) end
return {1, nv}
`);

// KEYS[1] snapshot hash; ARGV expectedVersion, data — the expiry stays as it is
const REPLACE = lua(`
local cur = tonumber(redis.call('HGET', KEYS[1], 'v') or '0')
if cur == 0 or cur ~= tonumber(ARGV[1]) then return {0, cur} end
local nv = cur + 1
redis.call('HSET', KEYS[1], 'v', nv, 'd', ARGV[2])
return {1, nv}
`);

/** a key prefix as a literal SCAN pattern (glob characters escaped) */
const literalPattern = (text: string) => text.replace(/[*?[\]\\]/g, (ch) => `\\${ch}`);

export const snapshotKey = (prefix: string, key: string) => `${prefix}snap:${key}`;

export function redisSnapshots(redis: Redis, prefix: string): SnapshotStore {
  const keyOf = (key: string) => snapshotKey(prefix, key);
  return {
    async read(key) {
      const [v, d] = await guard('snapshot read', () => redis.hmget(keyOf(key), 'v', 'd'));
      if (v == null || d == null) return undefined;
      return { version: Number(v), data: d } satisfies StoredSnapshot;
    },
    async write(key, data, expectedVersion, ttlSeconds): Promise<CasResult> {
      const ttlMs = ttlSeconds && ttlSeconds > 0 ? Math.ceil(ttlSeconds * 1000) : 0;
      const [ok, version] = (await guard('snapshot write', () =>
        CAS(redis, [keyOf(key)], [expectedVersion, data, ttlMs]),
      )) as [number, number];
      if (ok === 1) return { ok: true, version };
      return { ok: false, currentVersion: version === 0 ? undefined : version };
    },
    async delete(key) {
      await guard('snapshot delete', () => redis.del(keyOf(key)));
    },
    async replace(key, data, expectedVersion): Promise<CasResult> {
      const [ok, version] = (await guard('snapshot replace', () =>
        REPLACE(redis, [keyOf(key)], [expectedVersion, data]),
      )) as [number, number];
      if (ok === 1) return { ok: true, version };
      return { ok: false, currentVersion: version === 0 ? undefined : version };
    },
    async *scan(pageSize = 500) {
      const head = snapshotKey(prefix, '');
      const match = `${literalPattern(head)}*`;
      let cursor = '0';
      do {
        const [next, keys] = await guard('snapshot scan', () => redis.scan(cursor, 'MATCH', match, 'COUNT', pageSize));
        cursor = next;
        if (keys.length > 0) yield keys.map((k) => k.slice(head.length));
      } while (cursor !== '0');
    },
  };
}
