import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';
import { createPlatform } from '../platform/createPlatform.ts';
import { explainStartupError } from './explain.ts';

const quiet = { info() {}, warn() {}, error() {} };

describe('start-up failures name the variable to fix', () => {
  it('an unreachable DATABASE_URL', async () => {
    const config = { ...loadConfig({ DATABASE_URL: 'postgres://nobody@127.0.0.1:1/zeta', DEMO_DATA: 'off' }), port: 0 };
    const error = await createPlatform(config, { log: quiet, ocr: false }).then(
      async (p) => {
        await p.close();
        return undefined;
      },
      (e: unknown) => e,
    );
    expect(explainStartupError(error, config)).toMatch(/^DATABASE_URL: cannot reach the database/);
  });

  it('an unreachable REDIS_URL', () => {
    const config = loadConfig({ REDIS_URL: 'redis://127.0.0.1:1' });
    const error = Object.assign(new Error('redis: cannot reach redis://127.0.0.1:1'), {
      name: 'StateUnavailableError',
    });
    expect(explainStartupError(error, config)).toMatch(/^REDIS_URL: cannot reach Redis/);
  });

  it('a port in use', () => {
    expect(explainStartupError(new Error('listen EADDRINUSE: address already in use :::3000'), loadConfig({}))).toBe(
      'PORT: port 3000 is already in use',
    );
  });
});
