export type DiffLine = { op: '=' | '+' | '-'; text: string; oldLine: number | null; newLine: number | null };

const MAX_CELLS = 25_000_000;

/** Line diff by longest common subsequence — prompts are short, clarity beats cleverness. */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  // trim the common head and tail so the table only covers the changed middle
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const am = a.slice(head, a.length - tail);
  const bm = b.slice(head, b.length - tail);
  const out: DiffLine[] = [];
  for (let i = 0; i < head; i++) out.push({ op: '=', text: a[i]!, oldLine: i + 1, newLine: i + 1 });
  if ((am.length + 1) * (bm.length + 1) > MAX_CELLS) {
    am.forEach((text, i) => out.push({ op: '-', text, oldLine: head + i + 1, newLine: null }));
    bm.forEach((text, j) => out.push({ op: '+', text, oldLine: null, newLine: head + j + 1 }));
  } else {
    const w = bm.length + 1;
    const lcs = new Uint32Array((am.length + 1) * w);
    for (let i = am.length - 1; i >= 0; i--) {
      for (let j = bm.length - 1; j >= 0; j--) {
        lcs[i * w + j] =
          am[i] === bm[j] ? lcs[(i + 1) * w + j + 1]! + 1 : Math.max(lcs[(i + 1) * w + j]!, lcs[i * w + j + 1]!);
      }
    }
    let i = 0;
    let j = 0;
    while (i < am.length || j < bm.length) {
      if (i < am.length && j < bm.length && am[i] === bm[j]) {
        out.push({ op: '=', text: am[i]!, oldLine: head + i + 1, newLine: head + j + 1 });
        i++;
        j++;
      } else if (i < am.length && (j === bm.length || lcs[(i + 1) * w + j]! >= lcs[i * w + j + 1]!)) {
        // deletions before insertions, as diff tools show them
        out.push({ op: '-', text: am[i]!, oldLine: head + i + 1, newLine: null });
        i++;
      } else {
        out.push({ op: '+', text: bm[j]!, oldLine: null, newLine: head + j + 1 });
        j++;
      }
    }
  }
  for (let k = 0; k < tail; k++) {
    const oi = a.length - tail + k;
    const ni = b.length - tail + k;
    out.push({ op: '=', text: a[oi]!, oldLine: oi + 1, newLine: ni + 1 });
  }
  return out;
}

/** The same diff as unified-diff text (every line, no hunks — prompts fit on a screen). */
export function unified(lines: DiffLine[], fromLabel: string, toLabel: string): string {
  const sign = { '=': ' ', '+': '+', '-': '-' } as const;
  return [`--- ${fromLabel}`, `+++ ${toLabel}`, ...lines.map((l) => `${sign[l.op]}${l.text}`)].join('\n');
}
