import { afterAll, beforeAll } from 'vitest';
import type { StateBackend } from '../types.ts';

/** One isolated namespace (Redis key prefix or row-key prefix); every open() shares its storage. */
export type StateEnv = {
  open(): Promise<StateBackend>;
  cleanup(): Promise<void>;
};

export type BackendHarness = {
  name: string;
  env(): Promise<StateEnv>;
  /** locks and pub/sub are shared between backends of one env (Redis), not only in-process */
  crossProcess: boolean;
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Polls `check` until it holds; fails with `what` after `timeoutMs` (a bound, not a speed claim). */
export async function eventually(
  what: string,
  check: () => boolean | Promise<boolean>,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

let counter = 0;
export const uniqueKey = (label: string) =>
  `${label}:${process.pid}:${++counter}:${Math.random().toString(36).slice(2, 8)}`;

/** One backend for the enclosing describe block: opened before its tests, closed after them. */
export function backendFor(harness: BackendHarness): { readonly state: StateBackend; readonly env: StateEnv } {
  const opened = {} as { state: StateBackend; env: StateEnv };
  beforeAll(async () => {
    opened.env = await harness.env();
    opened.state = await opened.env.open();
  });
  afterAll(async () => {
    await opened.state?.close();
    await opened.env?.cleanup();
  });
  return opened;
}
