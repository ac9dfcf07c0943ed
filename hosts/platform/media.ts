import { Hono } from 'hono';
import type { Db } from '../../storage/repos/common.ts';
import type { LocalMedia } from '../telegram/channel.ts';
import { placeholderSvg } from '../../storage/seed/placeholder.ts';
import { placeholderPng, type PlaceholderProduct } from './placeholder.ts';

const PLACEHOLDER = /^\/?(?:media\/)?placeholder\/([^/]+)\.(svg|png)$/;

async function productForSku(db: Db, sku: string): Promise<PlaceholderProduct | undefined> {
  const row = await db.selectFrom('products').select(['sku', 'name', 'price', 'color', 'category']).where('sku', '=', sku).limit(1).executeTakeFirst();
  return row ? { sku: row.sku, name: row.name, price: Number(row.price), color: row.color ?? undefined, category: row.category ?? undefined } : undefined;
}

/** `GET /media/placeholder/<sku>.svg|png` — demo product pictures made on the fly. */
export function mediaRoutes(db: Db): Hono {
  const app = new Hono();
  app.get('/placeholder/:file', async (c) => {
    const match = PLACEHOLDER.exec(`/placeholder/${c.req.param('file')}`);
    if (!match) return c.notFound();
    const product = await productForSku(db, decodeURIComponent(match[1]!));
    if (!product) return c.notFound();
    c.header('Cache-Control', 'public, max-age=3600');
    if (match[2] === 'png') return c.body(new Uint8Array(placeholderPng(product)), 200, { 'Content-Type': 'image/png' });
    return c.body(placeholderSvg(product), 200, { 'Content-Type': 'image/svg+xml; charset=utf-8' });
  });
  return app;
}

/** Bytes of a `/media/...` path for messengers that cannot fetch our URL (no PUBLIC_BASE_URL): always PNG. */
export async function readLocalMedia(db: Db, path: string): Promise<LocalMedia | undefined> {
  const match = PLACEHOLDER.exec(path.split('?')[0] ?? '');
  if (!match) return undefined;
  const product = await productForSku(db, decodeURIComponent(match[1]!));
  if (!product) return undefined;
  return { bytes: placeholderPng(product), filename: `${product.sku}.png` };
}
