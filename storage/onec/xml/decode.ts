import iconv from 'iconv-lite';

/**
 * Text of an XML file as it streams: the encoding is read from its byte-order mark or its XML
 * declaration (1C writes UTF-8; older configurations windows-1251), and a file that is not what
 * it says stops with a reason instead of turning into mojibake.
 */
export class XmlEncodingError extends Error {
  override readonly name = 'XmlEncodingError';
}

type Decoder = { write(bytes: Uint8Array): string; end(): string };

const DECLARED = /^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]+)["']/;

function decoderFor(label: string): Decoder {
  const name = label.toLowerCase();
  if (name === 'utf-8' || name === 'utf8') return textDecoder('utf-8');
  if (name === 'utf-16le' || name === 'utf-16be') return textDecoder(name);
  if (['windows-1251', 'cp1251', 'win1251', 'windows1251'].includes(name)) {
    const decoder = iconv.getDecoder('win1251');
    return { write: (bytes) => decoder.write(Buffer.from(bytes)), end: () => decoder.end() ?? '' };
  }
  throw new XmlEncodingError(`the encoding ${label} is not supported (UTF-8 or windows-1251)`);
}

function textDecoder(label: 'utf-8' | 'utf-16le' | 'utf-16be'): Decoder {
  const decoder = new TextDecoder(label, { fatal: true, ignoreBOM: false });
  const guard = (run: () => string) => {
    try {
      return run();
    } catch {
      throw new XmlEncodingError(`the file is not valid ${label.toUpperCase()} (does it declare the right encoding?)`);
    }
  };
  return {
    write: (bytes) => guard(() => decoder.decode(bytes, { stream: true })),
    end: () => guard(() => decoder.decode()),
  };
}

function detect(head: Uint8Array): Decoder {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return textDecoder('utf-8');
  if (head[0] === 0xff && head[1] === 0xfe) return textDecoder('utf-16le');
  if (head[0] === 0xfe && head[1] === 0xff) return textDecoder('utf-16be');
  const ascii = Buffer.from(head.subarray(0, 256)).toString('latin1');
  const declared = DECLARED.exec(ascii)?.[1];
  return decoderFor(declared ?? 'utf-8');
}

/** `bytes` as text, decoded by what the file declares */
export async function* decodeXml(bytes: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: Decoder | undefined;
  let head: Uint8Array[] = [];
  let headBytes = 0;
  for await (const piece of bytes) {
    if (!decoder) {
      head.push(piece);
      headBytes += piece.byteLength;
      if (headBytes < 256) continue;
      const joined = Buffer.concat(head, headBytes);
      head = [];
      decoder = detect(joined);
      const text = decoder.write(joined);
      if (text) yield text;
      continue;
    }
    const text = decoder.write(piece);
    if (text) yield text;
  }
  if (!decoder) {
    const joined = Buffer.concat(head, headBytes);
    decoder = detect(joined);
    const text = decoder.write(joined);
    if (text) yield text;
  }
  const rest = decoder.end();
  if (rest) yield rest;
}
