import { Hono, type Context } from 'hono';
import type { Db } from '../../storage/repos/common.ts';
import type { RateLimiter } from '../../storage/state/types.ts';
import type { LocalMedia } from '../telegram/photos.ts';
import { placeholderSvg } from '../../storage/seed/placeholder.ts';
import { readPicture } from '../../storage/onec/index.ts';
import type { PlaceholderPictures, PlaceholderProduct } from './placeholder.ts';

const PLACEHOLDER = /^\/?(?:media\/)?placeholder\/([^/]+)\.(svg|png)$/;
const PICTURE = /^\/?(?:media\/)?pictures\/([^/]+)$/;

async function productForSku(db: Db, sku: string): Promise<PlaceholderProduct | undefined> {
  const row = await db
    .selectFrom('products')
    .select(['sku', 'name', 'price', 'color', 'category'])
    .where('sku', '=', sku)
    .limit(1)
    .executeTakeFirst();
  return row
    ? {
        sku: row.sku,
        name: row.name,
        price: Number(row.price),
        color: row.color ?? undefined,
        category: row.category ?? undefined,
      }
    : undefined;
}

const decoded = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/** the socket peer, or the address our proxy appended to X-Forwarded-For when we trust it */
function clientIp(c: Context, trustProxy: boolean): string {
  const forwarded = trustProxy
    ? c.req
        .header('x-forwarded-for')
        ?.split(',')
        .map((s) => s.trim())
        .filter(Boolean)
        .at(-1)
    : undefined;
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return forwarded ?? env?.incoming?.socket?.remoteAddress ?? 'unknown';
}

export type MediaOptions = {
  pictures: PlaceholderPictures;
  /** requests per minute per client, shared by replicas through the state backend */
  rateLimit: { limiter: RateLimiter; perMinute: number; trustProxy: boolean };
};

/** `GET /media/placeholder/<sku>.svg|png` — demo product pictures made on the fly. */
export function mediaRoutes(db: Db, o: MediaOptions): Hono {
  const app = new Hono();
  app.use('*', async (c, next) => {
    const { limiter, perMinute, trustProxy } = o.rateLimit;
    const decision = await limiter.hit(`media:${clientIp(c, trustProxy)}`, perMinute, 60_000);
    if (!decision.allowed) {
      const retryAfter = String(Math.max(1, Math.ceil(decision.resetMs / 1000)));
      return c.json({ error: { code: 'rate_limited', message: `too many requests: ${perMinute} per minute` } }, 429, {
        'Retry-After': retryAfter,
      });
    }
    await next();
  });
  app.get('/placeholder/:file', async (c) => {
    const match = PLACEHOLDER.exec(`/placeholder/${c.req.param('file')}`);
    const sku = match ? decoded(match[1]!) : undefined;
    if (!match || sku === undefined) return c.notFound();
    const product = await productForSku(db, sku);
    if (!product) return c.notFound();
    c.header('Cache-Control', 'public, max-age=3600');
    if (match[2] === 'png')
      return c.body(new Uint8Array(o.pictures.png(product)), 200, { 'Content-Type': 'image/png' });
    return c.body(placeholderSvg(product), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });
  // pictures a 1C exchange brought, addressed by the hash of their bytes: they never change
  app.get('/pictures/:file', async (c) => {
    const picture = await readPicture(db, c.req.param('file'));
    if (!picture) return c.notFound();
    return c.body(new Uint8Array(picture.bytes), 200, {
      'Content-Type': picture.mime,
      'Cache-Control': 'public, max-age=31536000, immutable',
    });
  });
  return app;
}

/** Bytes of a `/media/...` path for messengers that cannot fetch our URL (no PUBLIC_BASE_URL): placeholders as PNG, exchange pictures as stored. */
export async function readLocalMedia(
  db: Db,
  path: string,
  pictures: PlaceholderPictures,
): Promise<LocalMedia | undefined> {
  const clean = path.split('?')[0] ?? '';
  const picture = PICTURE.exec(clean);
  if (picture) {
    const stored = await readPicture(db, picture[1]!);
    return stored && { bytes: Buffer.from(stored.bytes), filename: picture[1]! };
  }
  const match = PLACEHOLDER.exec(clean);
  const sku = match ? decoded(match[1]!) : undefined;
  if (sku === undefined) return undefined;
  const product = await productForSku(db, sku);
  if (!product) return undefined;
  return { bytes: pictures.png(product), filename: `${product.sku}.png` };
}
