import { createHash } from 'node:crypto';
import type { Db } from '../repos/common.ts';
import { readWhole } from './files.ts';

/**
 * Product pictures the exchange brought (`import_files/…` beside the XML, or inside the zip),
 * kept by the SHA-256 of their bytes: a picture sent again in the next exchange is stored once,
 * and its address never changes, so it is served with a year-long cache. Only the image formats
 * messengers show are kept; the kind is read from the bytes, not trusted from the name.
 */
export const MAX_PICTURE_BYTES = 10 << 20;
export const PICTURE_PATH = '/media/pictures/';

const KINDS: { mime: string; ext: string; test: (b: Uint8Array) => boolean }[] = [
  { mime: 'image/jpeg', ext: 'jpg', test: (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff },
  { mime: 'image/png', ext: 'png', test: (b) => b[0] === 0x89 && b[1] === 0x50 && b[2] === 0x4e && b[3] === 0x47 },
  { mime: 'image/gif', ext: 'gif', test: (b) => b[0] === 0x47 && b[1] === 0x49 && b[2] === 0x46 },
  {
    mime: 'image/webp',
    ext: 'webp',
    test: (b) =>
      Buffer.from(b.subarray(0, 4)).toString('latin1') === 'RIFF' &&
      Buffer.from(b.subarray(8, 12)).toString('latin1') === 'WEBP',
  },
];

export const pictureUrl = (sha256: string, ext: string): string => `${PICTURE_PATH}${sha256}.${ext}`;

export type Ingested = { ok: true; url: string } | { ok: false; reason: string };

/** Stores the staged file `name` as a product picture and returns its address. */
export async function ingestPicture(db: Db, sessionId: string, name: string): Promise<Ingested> {
  const bytes = await readWhole(db, sessionId, name, MAX_PICTURE_BYTES);
  if (!bytes) return { ok: false, reason: `the picture ${name} is larger than ${MAX_PICTURE_BYTES} bytes` };
  const kind = KINDS.find((k) => k.test(bytes));
  if (!kind) return { ok: false, reason: `${name} is not a JPEG, PNG, GIF or WebP picture` };
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  await db
    .insertInto('product_pictures')
    .values({ sha256, mime: kind.mime, bytes })
    .onConflict((oc) => oc.column('sha256').doNothing())
    .execute();
  return { ok: true, url: pictureUrl(sha256, kind.ext) };
}

const ADDRESS = /^([0-9a-f]{64})\.(jpg|png|gif|webp)$/;

/** the picture behind `<sha256>.<ext>`, or undefined */
export async function readPicture(db: Db, file: string): Promise<{ mime: string; bytes: Uint8Array } | undefined> {
  const match = ADDRESS.exec(file);
  if (!match) return undefined;
  const row = await db
    .selectFrom('product_pictures')
    .select(['mime', 'bytes'])
    .where('sha256', '=', match[1]!)
    .executeTakeFirst();
  if (!row || KINDS.find((k) => k.mime === row.mime)?.ext !== match[2]) return undefined;
  return row;
}
