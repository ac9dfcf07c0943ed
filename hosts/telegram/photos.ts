import type { Reply } from '../../engine/replies.ts';
import type { Logger } from '../runtime/ports.ts';
import type { PhotoSource } from './render.ts';

export type LocalMedia = { bytes: Uint8Array; filename: string };

export type PhotoOptions = {
  log: Logger;
  /**
   * PUBLIC_BASE_URL: relative image paths (`/media/sofa.jpg`, served by our own server) become
   * absolute URLs Telegram fetches itself. Without it, `readLocalMedia` uploads the bytes.
   */
  publicBaseUrl?: string;
  readLocalMedia?: (path: string) => Promise<LocalMedia | undefined>;
};

/** file_ids of uploaded pictures kept at most */
const MAX_REMEMBERED = 10_000;

/**
 * Where the pictures of a batch of replies come from: a URL Telegram fetches itself, or bytes we
 * upload once — after an upload Telegram's file_id is sent instead (no second upload).
 */
export class TelegramPhotos {
  readonly #o: PhotoOptions;
  readonly #uploaded = new Map<string, string>();

  constructor(o: PhotoOptions) {
    this.#o = o;
  }

  async resolve(city: string, replies: readonly Reply[]): Promise<Map<string, PhotoSource>> {
    const urls = new Set<string>();
    for (const r of replies) {
      if (r.type === 'image') urls.add(r.url);
      if (r.type === 'products') for (const item of r.items) if (item.imageUrl) urls.add(item.imageUrl);
    }
    const photos = new Map<string, PhotoSource>();
    await Promise.all(
      [...urls].map(async (url) => {
        const source = await this.#source(city, url).catch((error: unknown) => {
          this.#o.log.warn(
            { url, err: error instanceof Error ? error.message : String(error) },
            'product image unavailable; sent without it',
          );
          return undefined;
        });
        if (source) photos.set(url, source);
      }),
    );
    return photos;
  }

  async #source(city: string, url: string): Promise<PhotoSource | undefined> {
    // Telegram shows no SVG; our own /media/ paths can give PNG bytes instead
    const svg = /\.svg(?:$|\?)/i.test(url);
    if (/^https?:\/\//i.test(url)) return svg ? undefined : { kind: 'url', url };
    if (!url.startsWith('/')) return undefined;
    const uploaded = this.#uploaded.get(`${city}|${url}`);
    if (uploaded) return { kind: 'url', url: uploaded };
    if (this.#o.publicBaseUrl && !svg)
      return { kind: 'url', url: `${this.#o.publicBaseUrl.replace(/\/+$/, '')}${url}` };
    const local = await this.#o.readLocalMedia?.(url);
    return local ? { kind: 'bytes', bytes: local.bytes, filename: local.filename, key: url } : undefined;
  }

  /** after an upload, send the file_id next time (Telegram keeps the file) */
  remember(city: string, photo: PhotoSource, message: unknown): void {
    if (photo.kind !== 'bytes' || !photo.key) return;
    const sizes = (message as { photo?: Array<{ file_id: string }> } | undefined)?.photo;
    const fileId = sizes?.at(-1)?.file_id;
    if (!fileId) return;
    if (this.#uploaded.size >= MAX_REMEMBERED) {
      const oldest = this.#uploaded.keys().next().value;
      if (oldest !== undefined) this.#uploaded.delete(oldest);
    }
    this.#uploaded.set(`${city}|${photo.key}`, fileId);
  }
}
