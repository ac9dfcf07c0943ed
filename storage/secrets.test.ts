import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { isSealed, parseSecretsKey, PLAIN_SECRETS, secretBox, SecretsKeyError } from './secrets.ts';

describe('secret box', () => {
  const key = randomBytes(32);
  const box = secretBox(key);
  const context = 'bot_configs/city-1/telegram/bot_token';

  it('seals with a fresh nonce each time and opens back', () => {
    const a = box.seal('123456:AAH-token', context);
    const b = box.seal('123456:AAH-token', context);
    expect(isSealed(a)).toBe(true);
    expect(a).not.toBe(b);
    expect(a).not.toContain('AAH-token');
    expect(box.open(a, context)).toBe('123456:AAH-token');
    expect(box.open(b, context)).toBe('123456:AAH-token');
  });

  it('refuses another context, another key, a tampered value; passes a plain one through', () => {
    const sealed = box.seal('secret', context);
    expect(() => box.open(sealed, 'bot_configs/city-2/telegram/bot_token')).toThrow(SecretsKeyError);
    expect(() => secretBox(randomBytes(32)).open(sealed, context)).toThrow(/does not open with SECRETS_KEY/);
    // another character where the ciphertext's second-to-last one is (the same one 1 in 64 times before)
    const flipped = sealed.slice(0, -2) + (sealed.at(-2) === 'A' ? 'B' : 'A') + sealed.slice(-1);
    expect(() => box.open(flipped, context)).toThrow(SecretsKeyError);
    expect(() => box.open('enc:v1:broken', context)).toThrow(/damaged/);
    expect(box.open('stored-before-the-key', context)).toBe('stored-before-the-key');
  });

  it('without a key stores as given and names the variable when it meets a sealed value', () => {
    expect(PLAIN_SECRETS.seal('x', context)).toBe('x');
    expect(PLAIN_SECRETS.open('x', context)).toBe('x');
    expect(() => PLAIN_SECRETS.open(box.seal('x', context), context)).toThrow(/set SECRETS_KEY/);
  });

  it('rotates: a previous key still opens what it sealed, which is no longer current', () => {
    const next = randomBytes(32);
    const rotating = secretBox(next, [key]);
    const old = box.seal('123456:AAH-token', context);
    expect(rotating.open(old, context)).toBe('123456:AAH-token');
    expect(rotating.current(old, context)).toBe(false);
    const fresh = rotating.seal('123456:AAH-token', context);
    expect(rotating.current(fresh, context)).toBe(true);
    expect(rotating.current('plain', context)).toBe(false);
    expect(() => secretBox(next).open(old, context)).toThrow(SecretsKeyError);
  });

  it('reads SECRETS_KEY as 64 hex digits or base64 of 32 bytes', () => {
    expect(parseSecretsKey(key.toString('hex'))).toEqual(key);
    expect(parseSecretsKey(key.toString('base64'))).toEqual(key);
    expect(parseSecretsKey('too-short')).toBeUndefined();
    expect(parseSecretsKey(randomBytes(16).toString('base64'))).toBeUndefined();
    expect(() => secretBox(randomBytes(16))).toThrow(SecretsKeyError);
  });
});
