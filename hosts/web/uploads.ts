import { randomBytes } from 'node:crypto';
import {
  chatUploadOwner,
  deleteExpiredChatUploads,
  findChatUpload,
  saveChatUpload,
} from '../../storage/repos/chatUploads.ts';
import type { Db } from '../../storage/repos/common.ts';
import type { Media } from '../runtime/ports.ts';

/**
 * Photos sent in the web chat. The bytes are stored under a short random reference tied to the
 * conversation that sent them (city + userId), so the engine's image event carries the reference
 * and the turn fetches the bytes through the web channel. Uploads are kept for a day: long
 * enough for a turn that is retried after a crash, short enough that the table stays small.
 */

export const MAX_IMAGE_BYTES = 10 * 1024 * 1024;
export const UPLOAD_TTL_MS = 24 * 3600_000;

/** `upl_` + 128 random bits, base64url */
const REF = /^upl_[A-Za-z0-9_-]{22}$/;
export const isUploadRef = (value: string): boolean => REF.test(value);

export type UploadOwner = { city: string; userId: string };

/** Why an upload or a reference was refused, with the HTTP status that says so. */
export class UploadRefused extends Error {
  constructor(
    readonly status: 400 | 403 | 404 | 410 | 413 | 415,
    message: string,
  ) {
    super(message);
    this.name = 'UploadRefused';
  }
}

/** What the bytes are, by their signature: the formats both OCR and the vision model read. */
function imageTypeOf(bytes: Uint8Array): string | undefined {
  const starts = (offset: number, ...sig: number[]) => sig.every((b, i) => bytes[offset + i] === b);
  if (starts(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (starts(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0, 0x47, 0x49, 0x46, 0x38) && (bytes[4] === 0x37 || bytes[4] === 0x39) && bytes[5] === 0x61)
    return 'image/gif';
  if (starts(0, 0x52, 0x49, 0x46, 0x46) && starts(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return undefined;
}

export class ChatUploads {
  readonly #db: Db;
  readonly #clock: () => Date;

  constructor(opts: { db: Db; clock?: () => Date }) {
    this.#db = opts.db;
    this.#clock = opts.clock ?? (() => new Date());
  }

  async store(
    owner: UploadOwner,
    bytes: Uint8Array,
  ): Promise<{ ref: string; mime: string; size: number; expiresAt: string }> {
    if (bytes.length === 0) throw new UploadRefused(400, 'the image is empty');
    if (bytes.length > MAX_IMAGE_BYTES)
      throw new UploadRefused(413, `the image is larger than 10 MB (${bytes.length} bytes)`);
    const mime = imageTypeOf(bytes);
    if (!mime) throw new UploadRefused(415, 'not an image: send a PNG, JPEG, GIF or WebP file');
    const now = this.#clock();
    // storage stays bounded without waiting for the hourly sweep
    await this.purgeExpired();
    const ref = `upl_${randomBytes(16).toString('base64url')}`;
    const expiresAt = new Date(now.getTime() + UPLOAD_TTL_MS);
    await saveChatUpload(this.#db, {
      ref,
      city: owner.city,
      userId: owner.userId,
      mime,
      bytes,
      createdAt: now,
      expiresAt,
    });
    return { ref, mime, size: bytes.length, expiresAt: expiresAt.toISOString() };
  }

  /** refuses a reference that is unknown, another conversation's, or expired */
  async check(owner: UploadOwner, ref: string): Promise<void> {
    this.#allowed(owner, ref, await chatUploadOwner(this.#db, ref));
  }

  async open(owner: UploadOwner, ref: string): Promise<Media> {
    const upload = await findChatUpload(this.#db, ref);
    this.#allowed(owner, ref, upload);
    return { bytes: upload!.bytes, mime: upload!.mime, filename: `${ref}.${upload!.mime.slice('image/'.length)}` };
  }

  purgeExpired(): Promise<number> {
    return deleteExpiredChatUploads(this.#db, this.#clock());
  }

  #allowed(
    owner: UploadOwner,
    ref: string,
    upload: { city: string; userId: string; expiresAt: Date } | undefined,
  ): void {
    if (!isUploadRef(ref) || !upload) throw new UploadRefused(404, `no uploaded image "${ref.slice(0, 40)}"`);
    if (upload.city !== owner.city || upload.userId !== owner.userId)
      throw new UploadRefused(403, `image "${ref}" was uploaded by another user`);
    if (upload.expiresAt.getTime() <= this.#clock().getTime())
      throw new UploadRefused(410, `image "${ref}" has expired (uploads are kept for 24 hours); send it again`);
  }
}
