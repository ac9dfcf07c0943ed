import type { Context } from 'hono';
import type { Answer } from '../../storage/onec/index.ts';

/** The exchange's answers: plain text lines, as 1C reads them (first line success|progress|failure). */
export const COOKIE_NAME = 'ZETA1C';

export type ReplyStatus = 200 | 401 | 404 | 413 | 500 | 503;

export const reply = (c: Context, status: ReplyStatus, lines: string[]) =>
  c.body(`${lines.join('\n')}\n`, status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
export const answer = (c: Context, a: Answer) => reply(c, 200, [a.status, ...a.lines]);
export const failure = (c: Context, reason: string, status: ReplyStatus = 200) => reply(c, status, ['failure', reason]);
