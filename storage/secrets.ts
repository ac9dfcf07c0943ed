import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';

/**
 * Secrets at rest (bot tokens, webhook secrets in `bot_configs`): with a key (SECRETS_KEY), sealed
 * with AES-256-GCM as `enc:v1:<iv>.<tag>.<ciphertext>` (base64url), the row's identity as associated
 * data so a sealed value copied to another row does not open. Without a key they are stored as they
 * are — the embedded default on a laptop — and a sealed value cannot be read: that is an error
 * naming the variable, never a garbled token sent to Telegram.
 */
export interface SecretBox {
  /** true when values are sealed */
  readonly sealing: boolean;
  seal(plain: string, context: string): string;
  open(stored: string, context: string): string;
  /** false for a value stored plain or sealed with a previous key: it should be sealed again */
  current(stored: string, context: string): boolean;
}

const PREFIX = 'enc:v1:';

export class SecretsKeyError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SecretsKeyError';
  }
}

export const isSealed = (stored: string): boolean => stored.startsWith(PREFIX);

/** No key: values are stored as given. */
export const PLAIN_SECRETS: SecretBox = {
  sealing: false,
  seal: (plain) => plain,
  current: () => true,
  open(stored) {
    if (isSealed(stored))
      throw new SecretsKeyError(
        'a bot secret in the database is encrypted: set SECRETS_KEY to the key it was stored with',
      );
    return stored;
  },
};

/** SECRETS_KEY: 32 bytes as 64 hex digits or base64 (`openssl rand -base64 32`). */
export function parseSecretsKey(text: string): Buffer | undefined {
  const trimmed = text.trim();
  const bytes = /^[0-9a-fA-F]{64}$/.test(trimmed) ? Buffer.from(trimmed, 'hex') : Buffer.from(trimmed, 'base64');
  return bytes.length === 32 ? bytes : undefined;
}

/**
 * `previous`: keys being rotated out (SECRETS_KEY_PREVIOUS) — values sealed with them still open,
 * and the next start seals them again with `key`.
 */
export function secretBox(key: Buffer, previous: readonly Buffer[] = []): SecretBox {
  for (const k of [key, ...previous]) if (k.length !== 32) throw new SecretsKeyError('SECRETS_KEY must be 32 bytes');
  const parts = (stored: string) => {
    const [iv, tag, body] = stored.slice(PREFIX.length).split('.');
    if (!iv || !tag || body === undefined) throw new SecretsKeyError('a bot secret in the database is damaged');
    return { iv, tag, body };
  };
  const openWith = (k: Buffer, { iv, tag, body }: ReturnType<typeof parts>, context: string): string | undefined => {
    try {
      const decipher = createDecipheriv('aes-256-gcm', k, Buffer.from(iv, 'base64url'));
      decipher.setAAD(Buffer.from(context, 'utf8'));
      decipher.setAuthTag(Buffer.from(tag, 'base64url'));
      return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
    } catch {
      return undefined;
    }
  };
  return {
    sealing: true,
    current: (stored, context) => isSealed(stored) && openWith(key, parts(stored), context) !== undefined,
    seal(plain, context) {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      cipher.setAAD(Buffer.from(context, 'utf8'));
      const body = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
      return `${PREFIX}${iv.toString('base64url')}.${cipher.getAuthTag().toString('base64url')}.${body.toString('base64url')}`;
    },
    open(stored, context) {
      // values written before the key was set are plain; they are sealed when next saved
      if (!isSealed(stored)) return stored;
      const sealed = parts(stored);
      for (const k of [key, ...previous]) {
        const plain = openWith(k, sealed, context);
        if (plain !== undefined) return plain;
      }
      throw new SecretsKeyError(
        "a bot secret in the database does not open with SECRETS_KEY (another key, or another row's value)",
      );
    },
  };
}
