import { randomBytes } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { OpenedDatabase } from '../../storage/db/open.ts';
import { bootstrapOwner } from '../admin/index.ts';
import type { Logger } from '../runtime/ports.ts';

/**
 * A fresh demo install has no ADMIN_EMAIL: make an owner with a random password, say it once in
 * the log and keep it in DATA_DIR so the panel can be opened right after `npm start`.
 */
export async function bootstrapDemoOwner(db: OpenedDatabase['db'], dataDir: string, log: Logger): Promise<void> {
  const email = 'admin@zeta.local';
  const password = randomBytes(9).toString('base64url');
  const { created } = await bootstrapOwner(db, email, password);
  if (!created) return;
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'admin-credentials.txt');
  writeFileSync(file, `${email}\n${password}\n`, { mode: 0o600 });
  log.info({ email, file }, `demo owner created — log in at /admin/ as ${email} with the password in ${file}`);
}
