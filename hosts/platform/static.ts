import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { Hono } from 'hono';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The built admin panel (`admin/dist`) at /admin/. Hashed assets are cached for a year; every
 * other path falls back to index.html so the panel's client-side routes survive a reload.
 */
export function adminStatic(distDir: string): Hono {
  const app = new Hono();
  app.get('/*', async (c) => {
    if (!existsSync(join(distDir, 'index.html'))) {
      return c.text('The admin panel is not built yet: run `npm run build:admin` (npm start does it for you).', 503);
    }
    const relative = normalize(decodeURIComponent(c.req.path.replace(/^\/admin\/?/, ''))).replace(
      /^(\.\.(\/|\\|$))+/,
      '',
    );
    const file = relative && relative !== '.' ? join(distDir, relative) : join(distDir, 'index.html');
    const target = file.startsWith(distDir) && existsSync(file) && extname(file) ? file : join(distDir, 'index.html');
    const body = await readFile(target);
    const isAsset = target.includes(`${join(distDir, 'assets')}`);
    return c.body(new Uint8Array(body), 200, {
      'Content-Type': TYPES[extname(target)] ?? 'application/octet-stream',
      'Cache-Control': isAsset ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
  });
  return app;
}
