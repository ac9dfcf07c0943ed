import { crc32, deflateSync } from 'node:zlib';

/**
 * The PNG twin of the demo catalog's SVG placeholders (storage/seed/placeholder.ts): messengers
 * reject SVG, so a photo sent to Telegram is drawn here, from the product, with no files.
 */

const COLOR_HEX: Record<string, string> = {
  red: '#c0392b',
  blue: '#2e5fa8',
  lightblue: '#7fb3e0',
  green: '#3f8f5a',
  yellow: '#e5c04a',
  orange: '#e0803a',
  pink: '#e39bb3',
  purple: '#7d4e9e',
  brown: '#7a5234',
  beige: '#d9c4a0',
  white: '#f2f0eb',
  black: '#2b2b2b',
  grey: '#8a8d91',
  navy: '#1f3354',
  turquoise: '#3fb0ac',
  burgundy: '#7b2233',
  cream: '#efe3c8',
  walnut: '#5c3d27',
  oak: '#b58a57',
};

export type PlaceholderProduct = {
  sku: string;
  name: string;
  price: number;
  color?: string | undefined;
  category?: string | undefined;
};

export const colorHex = (color: string | undefined) => COLOR_HEX[color ?? ''] ?? '#9aa5b1';

/**
 * Drawing and compressing a PNG costs milliseconds of CPU, and anyone can ask for one: each
 * picture depends only on the colour, so the last `max` of them are kept (least recently used out).
 */
export class PlaceholderPictures {
  readonly #cache = new Map<string, Buffer>();
  constructor(private readonly o: { max?: number; onRender?: () => void } = {}) {}

  png(p: PlaceholderProduct): Buffer {
    const key = colorHex(p.color);
    const cached = this.#cache.get(key);
    if (cached) {
      this.#cache.delete(key);
      this.#cache.set(key, cached);
      return cached;
    }
    const png = placeholderPng(p);
    this.o.onRender?.();
    this.#cache.set(key, png);
    if (this.#cache.size > (this.o.max ?? 64)) this.#cache.delete(this.#cache.keys().next().value!);
    return png;
  }
}

/** A 640×480 PNG: the same furniture silhouette in the product's colour. */
export function placeholderPng(p: PlaceholderProduct): Buffer {
  const width = 640;
  const height = 480;
  const [r, g, b] = hexToRgb(colorHex(p.color));
  const bg: [number, number, number] = [246, 244, 240];
  const legs: [number, number, number] = [85, 85, 85];
  const raw = Buffer.alloc((width * 3 + 1) * height);
  const inRect = (x: number, y: number, x0: number, y0: number, w: number, h: number) =>
    x >= x0 && x < x0 + w && y >= y0 && y < y0 + h;
  for (let y = 0; y < height; y++) {
    const row = y * (width * 3 + 1);
    raw[row] = 0;
    for (let x = 0; x < width; x++) {
      let c = bg;
      if (inRect(x, y, 120, 170, 400, 150) || inRect(x, y, 100, 230, 60, 120) || inRect(x, y, 480, 230, 60, 120))
        c = [r, g, b];
      else if (inRect(x, y, 150, 350, 16, 40) || inRect(x, y, 474, 350, 16, 40)) c = legs;
      const i = row + 1 + x * 3;
      raw[i] = c[0];
      raw[i + 1] = c[1];
      raw[i + 2] = c[2];
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(width, 0);
  header.writeUInt32BE(height, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // truecolour RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 6 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function chunk(type: string, data: Buffer): Buffer {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length, 0);
  const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(typed) >>> 0, 0);
  return Buffer.concat([length, typed, crc]);
}

function hexToRgb(hex: string): [number, number, number] {
  const n = Number.parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}
