import type { Expectation } from './model.ts';

/**
 * An expected reply line ("< …"): exact or contained text, a regex, tagged products, choices or an
 * image, any reply ("...") or none ("(silence)"). Answers the expectation or why it cannot be read.
 */
export function parseExpectation(rest: string): Expectation | string {
  const text = rest.replace(/^\s+/, '');
  if (text === '...' || text === '…') return { kind: 'any' };
  if (text === '(silence)') return { kind: 'silence' };
  if (text.startsWith('~ ') || text === '~') return { kind: 'contains', text: text.slice(2) };
  if (text.startsWith('= ') || text === '=') return { kind: 'exact', text: text.slice(2) };
  if (text.startsWith('/')) {
    const m = /^\/(.+)\/([dgimsuy]*)$/.exec(text);
    if (!m?.[1]) return 'a regex expectation looks like /Нашёл \\d+/ (use "= /text" for exact text starting with /)';
    try {
      new RegExp(m[1], m[2]);
    } catch (error) {
      return `bad regex: ${(error as Error).message}`;
    }
    return { kind: 'regex', pattern: m[1], flags: m[2] ?? '' };
  }
  const tagged = /^\[(products|product|choices|image)\]\s*(.*)$/.exec(text);
  if (tagged) {
    const [, tag, body = ''] = tagged;
    if (tag === 'image') return body === '' || body === '*' ? { kind: 'image' } : { kind: 'image', url: body };
    if (tag === 'choices') {
      const contains = body.startsWith('~ ');
      const labels = splitList(contains ? body.slice(2) : body, '|');
      if (labels.length === 0) return '[choices] needs labels separated by |';
      return { kind: 'choices', labels, mode: contains ? 'contains' : 'exact' };
    }
    const view = tag === 'product' ? 'detail' : 'list';
    if (body === '*') return { kind: 'products', view, skus: [], mode: 'any' };
    const contains = body.startsWith('~ ');
    const skus = splitList(contains ? body.slice(2) : body, ',');
    if (skus.length === 0) return `[${tag}] needs SKUs separated by commas (or * for any)`;
    return { kind: 'products', view, skus, mode: contains ? 'contains' : 'exact' };
  }
  if (text.startsWith('['))
    return `unknown reply tag in "${text}" (products, product, choices, image; use "= [" for exact text)`;
  return { kind: 'exact', text };
}

function splitList(body: string, separator: string): string[] {
  return body
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
}
