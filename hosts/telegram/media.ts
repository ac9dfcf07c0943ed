import { GrammyError } from 'grammy';
import type { Media } from '../runtime/ports.ts';
import { MediaTooLargeError, MediaUnavailableError } from './errors.ts';
import type { CityBot } from './registry.ts';

/**
 * A shopper's file from Telegram: `getFile`, then the bytes from the Bot API's file endpoint,
 * never more than `limit` (Telegram's own bot download limit is 20 MB).
 */
export async function fetchTelegramFile(
  city: CityBot,
  apiRoot: string,
  ref: string,
  o: { limit: number; timeoutMs: number },
): Promise<Media> {
  let file;
  try {
    file = await city.bot.api.getFile(ref);
  } catch (error) {
    if (error instanceof GrammyError && /too big/i.test(error.description))
      throw new MediaTooLargeError(undefined, o.limit);
    if (error instanceof GrammyError) throw new MediaUnavailableError(error.description);
    throw error;
  }
  if (file.file_size !== undefined && file.file_size > o.limit) throw new MediaTooLargeError(file.file_size, o.limit);
  if (!file.file_path) throw new MediaUnavailableError('Telegram gave no file path');
  const url = `${apiRoot}/file/bot${city.token}/${file.file_path}`;
  const bytes = await download(url, o.limit, o.timeoutMs);
  const filename = file.file_path.split('/').at(-1) ?? 'file';
  return { bytes, mime: mimeOf(filename), filename };
}

async function download(url: string, limit: number, timeoutMs: number): Promise<Uint8Array> {
  let response: Response;
  try {
    response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  } catch (error) {
    throw new MediaUnavailableError(`download failed (${error instanceof Error ? error.message : String(error)})`);
  }
  if (!response.ok || !response.body) throw new MediaUnavailableError(`download answered ${response.status}`);
  const declared = Number(response.headers.get('content-length') ?? NaN);
  if (Number.isFinite(declared) && declared > limit) {
    await response.body.cancel().catch(() => undefined);
    throw new MediaTooLargeError(declared, limit);
  }
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of response.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > limit) throw new MediaTooLargeError(size, limit);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const MIME_TYPES: Record<string, string> = {
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  png: 'image/png',
  webp: 'image/webp',
  gif: 'image/gif',
  oga: 'audio/ogg',
  ogg: 'audio/ogg',
  opus: 'audio/ogg',
  mp3: 'audio/mpeg',
  m4a: 'audio/mp4',
  wav: 'audio/wav',
};

function mimeOf(filename: string): string {
  return MIME_TYPES[filename.split('.').at(-1)?.toLowerCase() ?? ''] ?? 'application/octet-stream';
}
