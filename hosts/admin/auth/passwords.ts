import bcrypt from 'bcryptjs';

/** A real bcrypt hash of a random string: unknown e-mails cost the same compare as wrong passwords. */
let dummyHash: Promise<string> | undefined;

export const hashPassword = (password: string, rounds: number): Promise<string> => bcrypt.hash(password, rounds);

export async function checkPassword(password: string, hash: string | undefined, rounds: number): Promise<boolean> {
  if (hash === undefined) {
    dummyHash ??= bcrypt.hash(`no-such-user-${Math.random()}`, rounds);
    await bcrypt.compare(password, await dummyHash);
    return false;
  }
  return bcrypt.compare(password, hash);
}

export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 72; // bcrypt ignores bytes after 72
