import { promisify } from 'node:util';
import { deflateRaw, inflateRaw } from 'node:zlib';
import { sql } from 'kysely';
import type { Db } from '../repos/common.ts';

/**
 * Files of an exchange session, kept in the database as byte ranges of at most CHUNK_BYTES so any
 * replica can read what another received, and nothing larger than a chunk is ever held in memory.
 * A part is written as it arrives; the file's `size` moves only when the whole part is in, so a
 * part cut off midway (or over the limit) leaves the file as it was. Chunks are stored deflated
 * (zlib runs on libuv's threads, beside the event loop): CommerceML shrinks many times over, and
 * storing and reading back a megabyte costs PostgreSQL tens of milliseconds.
 */
export const CHUNK_BYTES = 1 << 20;
/** zlib's fastest level: the size is most of the saving, and level 1 keeps up with an upload */
const DEFLATE = { level: 1 };
const deflate = promisify(deflateRaw);
const inflate = promisify(inflateRaw);

export type AppendResult = { ok: true; size: number } | { ok: false; reason: string };

export type AppendLimits = {
  /** bytes one request may carry (`file_limit` of `init`) */
  partBytes: number;
  /** bytes all files of the session may hold together */
  sessionBytes: number;
};

export async function sessionBytes(db: Db, sessionId: string): Promise<number> {
  const row = await db
    .selectFrom('onec_files')
    .select((eb) => eb.fn.coalesce(eb.fn.sum<string | number>('size'), sql<number>`0`).as('total'))
    .where('session_id', '=', sessionId)
    .executeTakeFirstOrThrow();
  return Number(row.total);
}

async function ensureFile(db: Db, sessionId: string, name: string, origin: 'upload' | 'zip'): Promise<number> {
  await db
    .insertInto('onec_files')
    .values({ session_id: sessionId, name, origin, size: 0 })
    .onConflict((oc) => oc.columns(['session_id', 'name']).doNothing())
    .execute();
  const row = await db
    .selectFrom('onec_files')
    .select('size')
    .where('session_id', '=', sessionId)
    .where('name', '=', name)
    .executeTakeFirstOrThrow();
  return Number(row.size);
}

/** Appends `body` to the file `name`, creating it; refuses (and forgets the part) past a limit. */
export async function appendToFile(
  db: Db,
  sessionId: string,
  name: string,
  body: AsyncIterable<Uint8Array>,
  limits: AppendLimits,
  origin: 'upload' | 'zip' = 'upload',
): Promise<AppendResult> {
  const before = await ensureFile(db, sessionId, name, origin);
  const room = limits.sessionBytes - (await sessionBytes(db, sessionId));
  let written = 0;
  let pending: Uint8Array[] = [];
  let pendingBytes = 0;
  const flush = async () => {
    if (pendingBytes === 0) return;
    const bytes = await deflate(Buffer.concat(pending, pendingBytes), DEFLATE);
    await db
      .insertInto('onec_file_chunks')
      .values({ session_id: sessionId, name, start: before + written, bytes, deflated: true })
      .execute();
    written += pendingBytes;
    pending = [];
    pendingBytes = 0;
  };
  const forget = async (reason: string): Promise<AppendResult> => {
    await db
      .deleteFrom('onec_file_chunks')
      .where('session_id', '=', sessionId)
      .where('name', '=', name)
      .where('start', '>=', before)
      .execute();
    return { ok: false, reason };
  };
  try {
    for await (const piece of body) {
      if (written + pendingBytes + piece.byteLength > limits.partBytes)
        return await forget(`${name}: the part is larger than file_limit (${limits.partBytes} bytes)`);
      if (written + pendingBytes + piece.byteLength > room)
        return await forget(`${name}: the session's files would exceed ${limits.sessionBytes} bytes`);
      let offset = 0;
      while (offset < piece.byteLength) {
        const take = Math.min(CHUNK_BYTES - pendingBytes, piece.byteLength - offset);
        pending.push(piece.subarray(offset, offset + take));
        pendingBytes += take;
        offset += take;
        if (pendingBytes === CHUNK_BYTES) await flush();
      }
    }
    await flush();
  } catch (error) {
    await forget('the upload broke off');
    throw error;
  }
  const size = before + written;
  await db
    .updateTable('onec_files')
    .set({ size })
    .where('session_id', '=', sessionId)
    .where('name', '=', name)
    .execute();
  return { ok: true, size };
}

/** The bytes of `name` in order, one stored chunk at a time (the next one read ahead), from byte `from` up to its size. */
export async function* readFile(
  db: Db,
  sessionId: string,
  name: string,
  range: { from?: number; to?: number } = {},
): AsyncGenerator<Uint8Array> {
  const file = await db
    .selectFrom('onec_files')
    .select('size')
    .where('session_id', '=', sessionId)
    .where('name', '=', name)
    .executeTakeFirst();
  if (!file) return;
  const end = Math.min(range.to ?? Number.POSITIVE_INFINITY, Number(file.size));
  const chunkAt = (position: number) => {
    const query = db
      .selectFrom('onec_file_chunks')
      .select(['start', 'bytes', 'deflated'])
      .where('session_id', '=', sessionId)
      .where('name', '=', name)
      .where('start', '<=', position)
      .orderBy('start', 'desc')
      .limit(1)
      .executeTakeFirst()
      .then(async (chunk) => (chunk?.deflated ? { start: chunk.start, bytes: await inflate(chunk.bytes) } : chunk));
    query.catch(() => undefined); // a reader that stops early leaves its read-ahead unawaited
    return query;
  };
  let position = range.from ?? 0;
  let upcoming = position < end ? chunkAt(position) : undefined;
  while (upcoming) {
    const chunk = await upcoming;
    if (!chunk) throw new Error(`${name}: bytes from ${position} are missing`);
    const start = Number(chunk.start);
    const bytes = chunk.bytes;
    if (start + bytes.byteLength <= position) throw new Error(`${name}: bytes from ${position} are missing`);
    const slice = bytes.subarray(position - start, Math.min(bytes.byteLength, end - start));
    position += slice.byteLength;
    // the next chunk is on its way while the caller parses this one
    upcoming = position < end ? chunkAt(position) : undefined;
    yield slice;
  }
}

export async function readWhole(
  db: Db,
  sessionId: string,
  name: string,
  maxBytes: number,
): Promise<Buffer | undefined> {
  const parts: Uint8Array[] = [];
  let size = 0;
  for await (const part of readFile(db, sessionId, name)) {
    size += part.byteLength;
    if (size > maxBytes) return undefined;
    parts.push(part);
  }
  return Buffer.concat(parts, size);
}

export async function fileExists(db: Db, sessionId: string, name: string): Promise<boolean> {
  const row = await db
    .selectFrom('onec_files')
    .select('name')
    .where('session_id', '=', sessionId)
    .where('name', '=', name)
    .executeTakeFirst();
  return row !== undefined;
}

/** every file of the session with its chunks and what was staged from it */
export async function dropSessionFiles(db: Db, sessionId: string): Promise<void> {
  await db.deleteFrom('onec_staged').where('session_id', '=', sessionId).execute();
  await db.deleteFrom('onec_file_chunks').where('session_id', '=', sessionId).execute();
  await db.deleteFrom('onec_files').where('session_id', '=', sessionId).execute();
}
