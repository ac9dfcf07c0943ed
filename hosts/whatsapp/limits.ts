/**
 * WhatsApp Cloud API limits for the messages we send (Meta's "Messages" reference). Every one
 * is asserted in the renderer tests. Lengths are in characters (code points), as Meta counts them.
 */
export const WA_LIMITS = {
  textBody: 4096,
  interactiveBody: 1024,
  caption: 1024,
  headerText: 60,
  footerText: 60,
  buttons: 3,
  buttonTitle: 20,
  buttonId: 256,
  listButton: 20,
  listRows: 10,
  listSections: 10,
  sectionTitle: 24,
  rowTitle: 24,
  rowDescription: 72,
  rowId: 200,
  templateParam: 1024,
  bizOpaque: 512,
} as const;

/** length in code points, so an emoji counts once and is never cut in half */
export const charLength = (text: string): number => Array.from(text).length;

/** cuts to `max` code points, ending with «…» when something was cut */
export function truncate(text: string, max: number): string {
  const chars = Array.from(text);
  if (chars.length <= max) return text;
  if (max <= 1) return chars.slice(0, max).join('');
  return `${chars
    .slice(0, max - 1)
    .join('')
    .trimEnd()}…`;
}

/**
 * Truncated titles stay unique (WhatsApp rejects two buttons with the same title): a clash gets
 * a « 2», « 3» suffix inside the limit.
 */
export function uniqueTitles(labels: string[], max: number): string[] {
  const seen = new Set<string>();
  return labels.map((label) => {
    const base = truncate(label.trim() || '…', max);
    let title = base;
    for (let n = 2; seen.has(title.toLowerCase()); n++) {
      const suffix = ` ${n}`;
      title = `${truncate(label.trim() || '…', max - suffix.length)}${suffix}`;
    }
    seen.add(title.toLowerCase());
    return title;
  });
}

/**
 * Splits a long text into chunks of at most `max` code points, preferring paragraph, line and
 * word boundaries.
 */
export function splitText(text: string, max: number): string[] {
  const chunks: string[] = [];
  let rest = Array.from(text);
  while (rest.length > max) {
    const window = rest.slice(0, max).join('');
    let cut = -1;
    for (const sep of ['\n\n', '\n', ' ']) {
      const at = window.lastIndexOf(sep);
      if (at > max / 2) {
        cut = Array.from(window.slice(0, at)).length;
        break;
      }
    }
    if (cut < 0) cut = max;
    const chunk = rest.slice(0, cut).join('').trimEnd();
    if (chunk) chunks.push(chunk);
    rest = Array.from(rest.slice(cut).join('').replace(/^\s+/, ''));
  }
  const last = rest.join('');
  if (last.trim() || chunks.length === 0) chunks.push(last);
  return chunks;
}
