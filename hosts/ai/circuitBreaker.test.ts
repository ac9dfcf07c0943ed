import { describe, expect, it } from 'vitest';
import { CircuitBreaker } from './circuitBreaker.ts';
import { AiBadRequestError, AiServerError, AiTimeoutError } from './errors.ts';
import { resilientCall } from './resilience.ts';

describe('CircuitBreaker', () => {
  it('opens after the threshold, half-opens after openMs with a single probe, closes on success', () => {
    let now = 0;
    const states: string[] = [];
    const b = new CircuitBreaker({
      failureThreshold: 3,
      openMs: 30_000,
      now: () => now,
      onStateChange: (s) => states.push(s),
    });
    for (let i = 0; i < 2; i += 1) {
      expect(b.tryAcquire()).toBe(true);
      b.onFailure();
    }
    expect(b.state()).toBe('closed');
    b.tryAcquire();
    b.onFailure();
    expect(b.state()).toBe('open');
    expect(b.tryAcquire()).toBe(false);
    now = 30_000;
    expect(b.state()).toBe('half_open');
    expect(b.tryAcquire()).toBe(true);
    expect(b.tryAcquire()).toBe(false); // only one probe at a time
    b.onSuccess();
    expect(b.state()).toBe('closed');
    expect(states).toEqual(['open', 'closed']);
  });

  it('a failed probe opens it again for another openMs', () => {
    let now = 0;
    const b = new CircuitBreaker({ failureThreshold: 1, openMs: 10, now: () => now });
    b.tryAcquire();
    b.onFailure();
    now = 10;
    expect(b.tryAcquire()).toBe(true);
    b.onFailure();
    expect(b.state()).toBe('open');
    now = 19;
    expect(b.tryAcquire()).toBe(false);
    now = 20;
    expect(b.tryAcquire()).toBe(true);
  });

  it('a success resets the consecutive count', () => {
    const b = new CircuitBreaker({ failureThreshold: 2 });
    b.onFailure();
    b.onSuccess();
    b.onFailure();
    expect(b.state()).toBe('closed');
  });
});

describe('resilientCall', () => {
  const fast = (breaker = new CircuitBreaker()) => ({
    breaker,
    retryBaseMs: 100,
    random: () => 0.5,
    sleep: async (ms: number) => {
      waits.push(ms);
    },
  });
  let waits: number[] = [];

  it('retries a retryable error once with jitter and returns the value', async () => {
    waits = [];
    let calls = 0;
    const out = await resilientCall(async () => {
      calls += 1;
      if (calls === 1) throw new AiTimeoutError('slow');
      return 42;
    }, fast());
    expect(out).toEqual({ ok: true, value: 42, attempts: 2 });
    expect(waits).toEqual([100]);
  });

  it('does not retry a bad request, and it does not count against the provider', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    const out = await resilientCall(async () => {
      throw new AiBadRequestError('400');
    }, fast(breaker));
    expect(out).toMatchObject({ ok: false, attempts: 1, error: { kind: 'bad_request' } });
    expect(breaker.state()).toBe('closed');
  });

  it('stops retrying when the breaker opens between attempts', async () => {
    const breaker = new CircuitBreaker({ failureThreshold: 1 });
    let calls = 0;
    const out = await resilientCall(async () => {
      calls += 1;
      throw new AiServerError('500', undefined);
    }, fast(breaker));
    expect(calls).toBe(1);
    expect(out).toMatchObject({ ok: false, attempts: 1, error: { kind: 'server_error' } });
  });

  it('aborts an attempt at the deadline through the signal', async () => {
    const out = await resilientCall(
      ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
        }),
      { ...fast(), timeoutMs: 20, retries: 0 },
    );
    expect(out).toMatchObject({ ok: false, attempts: 1, error: { kind: 'timeout' } });
  });
});

describe('resilientCall budget', () => {
  it('gives the retry only what is left of the budget, and skips it when too little is left', async () => {
    let clock = 0;
    const seen: number[] = [];
    const opts = {
      breaker: new CircuitBreaker(),
      timeoutMs: 8_000,
      budgetMs: 12_000,
      retryBaseMs: 100,
      random: () => 0.5,
      now: () => clock,
      sleep: async (ms: number) => {
        clock += ms;
      },
    };
    const out = await resilientCall(async ({ timeoutMs }) => {
      seen.push(timeoutMs);
      clock += timeoutMs;
      throw new AiTimeoutError('slow');
    }, opts);
    expect(seen).toEqual([8_000, 3_900]);
    expect(out).toMatchObject({ ok: false, attempts: 2 });

    clock = 0;
    seen.length = 0;
    await resilientCall(async ({ timeoutMs }) => {
      seen.push(timeoutMs);
      clock += 11_000;
      throw new AiTimeoutError('slow');
    }, opts);
    expect(seen).toEqual([8_000]);
  });
});
