import iconv from 'iconv-lite';

/**
 * Writing the XML 1C reads: text escaped for element content, and the whole document in the
 * encoding it declares. 1C honours the declaration; UTF-8 is the default because windows-1251
 * lacks most Kazakh letters (ә, ғ, қ, ң, ө, ұ, ү, һ). In windows-1251 every character it cannot
 * hold is written as a character reference (`&#1179;`), which XML reads back as the same letter.
 */
export type SaleEncoding = 'utf-8' | 'windows-1251';

/** characters XML 1.0 does not allow at all (C0 controls but tab, newline, return; lone surrogates) */
const FORBIDDEN =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;

export const escapeText = (text: string): string =>
  text.replace(FORBIDDEN, '').replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** `<name>text</name>`, or nothing for an empty value */
export const element = (name: string, text: string | number | undefined): string =>
  text === undefined || text === '' ? '' : `<${name}>${escapeText(String(text))}</${name}>`;

export function encodeDocument(xml: string, encoding: SaleEncoding): Buffer {
  const declared = `<?xml version="1.0" encoding="${encoding === 'utf-8' ? 'UTF-8' : 'windows-1251'}"?>\n${xml}`;
  if (encoding === 'utf-8') return Buffer.from(declared, 'utf8');
  let safe = '';
  for (const char of declared) {
    const code = char.codePointAt(0)!;
    safe += code < 0x80 || iconv.decode(iconv.encode(char, 'win1251'), 'win1251') === char ? char : `&#${code};`;
  }
  return iconv.encode(safe, 'win1251');
}
