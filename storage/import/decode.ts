/**
 * Bytes → text. UTF-8 (with or without BOM) and UTF-16 with a BOM are read; anything else that
 * is not valid UTF-8 (a Windows-1251 export, binary) decodes with U+FFFD where bytes were bad, and
 * the rows containing it are reported as a wrong encoding instead of being imported garbled.
 */
export function decodeSource(source: string | Buffer | Uint8Array): string {
  if (typeof source === 'string') return source;
  const bytes = source;
  if (bytes[0] === 0xff && bytes[1] === 0xfe) return new TextDecoder('utf-16le').decode(bytes.subarray(2));
  if (bytes[0] === 0xfe && bytes[1] === 0xff) return new TextDecoder('utf-16be').decode(bytes.subarray(2));
  return new TextDecoder('utf-8', { fatal: false, ignoreBOM: false }).decode(bytes);
}

export const REPLACEMENT_CHAR = '\uFFFD';

export const hasEncodingDamage = (value: string): boolean =>
  value.includes(REPLACEMENT_CHAR) || value.includes('\u0000');
