import { describe, expect, it } from 'vitest';
import { backendFor, sleep, uniqueKey, type BackendHarness } from './harness.ts';

export function snapshotContract(harness: BackendHarness) {
  describe(`SnapshotStore (${harness.name})`, () => {
    const opened = backendFor(harness);

    it('reads nothing for an absent key and creates with expected version 0', async () => {
      const key = uniqueKey('snap');
      expect(await opened.state.snapshots.read(key)).toBeUndefined();
      expect(await opened.state.snapshots.write(key, '{"a":1}', 0)).toEqual({ ok: true, version: 1 });
      expect(await opened.state.snapshots.read(key)).toEqual({ version: 1, data: '{"a":1}' });
      expect(await opened.state.snapshots.write(key, '{"a":2}', 1)).toEqual({ ok: true, version: 2 });
      expect(await opened.state.snapshots.read(key)).toEqual({ version: 2, data: '{"a":2}' });
    });

    it('rejects a stale version and reports the current one', async () => {
      const key = uniqueKey('snap');
      await opened.state.snapshots.write(key, 'v1', 0);
      await opened.state.snapshots.write(key, 'v2', 1);
      expect(await opened.state.snapshots.write(key, 'stale', 1)).toEqual({ ok: false, currentVersion: 2 });
      expect(await opened.state.snapshots.write(key, 'again', 0)).toEqual({ ok: false, currentVersion: 2 });
      expect(await opened.state.snapshots.read(key)).toEqual({ version: 2, data: 'v2' });
      expect(await opened.state.snapshots.write(uniqueKey('snap'), 'x', 3)).toEqual({
        ok: false,
        currentVersion: undefined,
      });
    });

    it('lets exactly one of 50 concurrent writers win each version', async () => {
      const key = uniqueKey('snap');
      const create = await Promise.all(
        Array.from({ length: 50 }, (_, i) => opened.state.snapshots.write(key, `c${i}`, 0)),
      );
      expect(create.filter((r) => r.ok)).toHaveLength(1);
      for (let version = 1; version <= 3; version++) {
        const results = await Promise.all(
          Array.from({ length: 50 }, (_, i) => opened.state.snapshots.write(key, `w${version}:${i}`, version)),
        );
        const winners = results.flatMap((r, i) => (r.ok ? [i] : []));
        expect(winners).toHaveLength(1);
        for (const r of results) if (!r.ok) expect(r.currentVersion).toBe(version + 1);
        expect(await opened.state.snapshots.read(key)).toEqual({
          version: version + 1,
          data: `w${version}:${winners[0]}`,
        });
      }
    });

    it('expires after its TTL, after which version 0 creates it again', async () => {
      const key = uniqueKey('snap');
      expect((await opened.state.snapshots.write(key, 'short', 0, 0.3)).ok).toBe(true);
      expect(await opened.state.snapshots.read(key)).toEqual({ version: 1, data: 'short' });
      await sleep(450);
      expect(await opened.state.snapshots.read(key)).toBeUndefined();
      expect(await opened.state.snapshots.write(key, 'gone', 1)).toEqual({ ok: false, currentVersion: undefined });
      expect(await opened.state.snapshots.write(key, 'fresh', 0)).toEqual({ ok: true, version: 1 });
    });

    it('a write without TTL makes the snapshot permanent again', async () => {
      const key = uniqueKey('snap');
      await opened.state.snapshots.write(key, 'short', 0, 0.3);
      await opened.state.snapshots.write(key, 'kept', 1);
      await sleep(450);
      expect(await opened.state.snapshots.read(key)).toEqual({ version: 2, data: 'kept' });
    });

    it('deletes', async () => {
      const key = uniqueKey('snap');
      await opened.state.snapshots.write(key, 'x', 0);
      await opened.state.snapshots.delete(key);
      await opened.state.snapshots.delete(key);
      expect(await opened.state.snapshots.read(key)).toBeUndefined();
      expect(await opened.state.snapshots.write(key, 'y', 0)).toEqual({ ok: true, version: 1 });
    });

    it('replaces an existing snapshot by version, keeping its expiry, and never creates one', async () => {
      const snapshots = opened.state.snapshots;
      const lasting = uniqueKey('snap');
      const fleeting = uniqueKey('snap');
      await snapshots.write(lasting, 'a', 0);
      await snapshots.write(fleeting, 'a', 0, 0.4);
      expect(await snapshots.replace(lasting, 'b', 1)).toEqual({ ok: true, version: 2 });
      expect(await snapshots.replace(lasting, 'stale', 1)).toEqual({ ok: false, currentVersion: 2 });
      expect(await snapshots.replace(fleeting, 'b', 1)).toEqual({ ok: true, version: 2 });
      expect(await snapshots.replace(uniqueKey('snap'), 'x', 1)).toEqual({ ok: false, currentVersion: undefined });
      await sleep(550);
      expect(await snapshots.read(lasting)).toEqual({ version: 2, data: 'b' });
      expect(await snapshots.read(fleeting)).toBeUndefined();
    });

    it('scans the keys of live snapshots page by page, odd characters and all', async () => {
      const snapshots = opened.state.snapshots;
      const mine = Array.from({ length: 7 }, (_, i) => `telegram:almaty:${uniqueKey(`scan*${i}[?]%_`)}`);
      for (const key of mine) await snapshots.write(key, 'x', 0);
      const gone = uniqueKey('scan-gone');
      await snapshots.write(gone, 'x', 0);
      await snapshots.delete(gone);
      const seen = new Set<string>();
      let pages = 0;
      for await (const page of snapshots.scan(3)) {
        pages++;
        for (const key of page) seen.add(key);
      }
      for (const key of mine) expect(seen.has(key), key).toBe(true);
      expect(seen.has(gone)).toBe(false);
      expect(pages).toBeGreaterThan(1);
    });

    it('keeps keys with odd characters and large data apart and intact', async () => {
      const a = `telegram:almaty:{1}:${uniqueKey('é')}`;
      const b = `${a}%_'"`;
      const big = 'я'.repeat(200_000);
      await opened.state.snapshots.write(a, big, 0);
      await opened.state.snapshots.write(b, 'b', 0);
      expect((await opened.state.snapshots.read(a))?.data).toBe(big);
      expect((await opened.state.snapshots.read(b))?.data).toBe('b');
    });
  });
}
