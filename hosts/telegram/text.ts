/**
 * Telegram text rules: we send HTML parse mode with every piece of shopper-visible text escaped,
 * and limits count the text *after* entity parsing (4096 for messages, 1024 for captions), so we
 * split or trim the plain text first and escape afterwards — a split can never land inside an
 * HTML entity or tag.
 */

export const MESSAGE_LIMIT = 4096;
export const CAPTION_LIMIT = 1024;

export function escapeHtml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** Plain-text pieces, each ≤ `limit` UTF-16 units, cut at a paragraph, line, sentence or word boundary when possible. */
export function splitText(text: string, limit = MESSAGE_LIMIT): string[] {
  const pieces: string[] = [];
  let rest = text.trim();
  while (rest.length > limit) {
    const cut = findCut(rest, limit);
    const head = rest.slice(0, cut).trimEnd();
    if (head.length > 0) pieces.push(head);
    rest = rest.slice(cut).trimStart();
  }
  if (rest.length > 0) pieces.push(rest);
  return pieces;
}

function findCut(text: string, limit: number): number {
  const window = text.slice(0, limit + 1);
  // prefer the latest boundary in the second half of the window, so pieces stay reasonably full
  const floor = Math.floor(limit / 2);
  for (const boundary of [/\n\s*\n/g, /\n/g, /[.!?…](?=\s)/g, /\s/g]) {
    let best = -1;
    for (const m of window.matchAll(boundary)) {
      const end = m.index + (boundary.source.startsWith('[') ? 1 : 0);
      if (end <= limit && end >= floor) best = end;
    }
    if (best > 0) return best;
  }
  // one long word: cut hard, but never between the halves of a surrogate pair
  const code = text.charCodeAt(limit - 1);
  return code >= 0xd800 && code <= 0xdbff ? limit - 1 : limit;
}

/** Shortens plain text to `max` UTF-16 units with an ellipsis, at a word boundary when one is near. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  if (max <= 1) return '…'.slice(0, max);
  let cut = max - 1;
  const space = text.lastIndexOf(' ', cut);
  if (space > max * 0.6) cut = space;
  const code = text.charCodeAt(cut - 1);
  if (code >= 0xd800 && code <= 0xdbff) cut -= 1;
  return `${text.slice(0, cut).trimEnd()}…`;
}

/** A piece of caption/message markup: plain text (escaped when rendered) or bold. */
export type Segment = { text: string; bold?: boolean };

export const visibleLength = (segments: readonly Segment[]) => segments.reduce((n, s) => n + s.text.length, 0);

export function toHtml(segments: readonly Segment[]): string {
  return segments.map((s) => (s.bold ? `<b>${escapeHtml(s.text)}</b>` : escapeHtml(s.text))).join('');
}
