import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStateBackend } from '../index.ts';
import { bullConnection, openRedis, redisTarget, redisUrlProblem } from './connection.ts';

describe('redisTarget', () => {
  it('reads host, port, database, credentials and TLS from redis:// and rediss:// URLs', () => {
    expect(redisTarget('redis://127.0.0.1:6380/4')).toEqual({ host: '127.0.0.1', port: 6380, db: 4 });
    expect(redisTarget('rediss://user:p%40ss@cache.example:6380')).toEqual({
      host: 'cache.example',
      port: 6380,
      username: 'user',
      password: 'p@ss',
      tls: {},
      db: 0,
    });
  });

  it('reads a Unix socket path and database from redis+unix:// URLs', () => {
    expect(redisTarget('redis+unix:///run/redis/redis.sock?db=2')).toEqual({ path: '/run/redis/redis.sock', db: 2 });
    expect(redisTarget('redis+unix:///tmp/r.sock?password=s%26cret')).toEqual({
      path: '/tmp/r.sock',
      password: 's&cret',
      db: 0,
    });
    expect(bullConnection('redis+unix:///tmp/r.sock?db=3')).toMatchObject({ path: '/tmp/r.sock', db: 3 });
  });

  it('refuses what would quietly reach another Redis, and keeps passwords out of the message', () => {
    expect(redisUrlProblem('redis+unix://')).toBe('no socket path');
    expect(redisUrlProblem('cache:6379')).toMatch(/is not redis:/);
    expect(redisUrlProblem('not a url')).toBe('not a URL');
    expect(redisUrlProblem('redis://')).toBe('no host');
    expect(() => redisTarget('http://user:secret@cache/0')).toThrow(/http: is not redis:.*\/\/\*\*\*@cache/);
    expect(() => openRedis('redis+unix://')).toThrow(/no socket path/);
  });
});

// a real Redis of its own on a Unix socket (the machine's Redis listens on TCP only)
describe('a Redis reached through its Unix socket', () => {
  const dir = mkdtempSync(join(tmpdir(), 'zeta-redis-sock-'));
  const socket = join(dir, 'redis.sock');
  let server: ChildProcess | undefined;
  beforeAll(async () => {
    server = spawn(
      'redis-server',
      ['--port', '0', '--unixsocket', socket, '--unixsocketperm', '700', '--save', '', '--appendonly', 'no'],
      { stdio: 'ignore' },
    );
    for (let i = 0; i < 100 && !existsSync(socket); i++) await new Promise((r) => setTimeout(r, 50));
  });
  afterAll(() => {
    server?.kill();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves the client, the state backend and its BullMQ timers', async () => {
    const url = `redis+unix://${socket}?db=1`;
    const redis = openRedis(url);
    await redis.set('probe', 'ok');
    expect(await redis.get('probe')).toBe('ok');
    redis.disconnect();

    const state = await createStateBackend({ redisUrl: url, keyPrefix: 'sock:' });
    try {
      expect(await state.snapshots.write('k', 'v', 0)).toMatchObject({ ok: true });
      expect((await state.snapshots.read('k'))?.data).toBe('v');
      const fired: string[] = [];
      await state.timers.start(async (timer) => void fired.push(timer.payload));
      await state.timers.schedule('t', new Date(Date.now() + 50), 'due');
      for (let i = 0; i < 100 && fired.length === 0; i++) await new Promise((r) => setTimeout(r, 50));
      expect(fired).toEqual(['due']);
    } finally {
      await state.close();
    }
  });
});
