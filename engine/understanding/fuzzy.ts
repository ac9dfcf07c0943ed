/**
 * Is `a` at most one edit from `b`? One insertion, deletion, substitution or transposition of
 * two neighbours (Damerau-Levenshtein, optimal string alignment, distance ≤ 1). Specialised
 * for the ≤ 1 case: linear time, no allocation.
 */
export function withinOneEdit(a: string, b: string): boolean {
  const la = a.length;
  const lb = b.length;
  if (la - lb > 1 || lb - la > 1) return false;
  let i = 0;
  while (i < la && i < lb && a.charCodeAt(i) === b.charCodeAt(i)) i++;
  if (i === la && i === lb) return true;
  // common suffix length
  let ja = la - 1;
  let jb = lb - 1;
  while (ja >= i && jb >= i && a.charCodeAt(ja) === b.charCodeAt(jb)) {
    ja--;
    jb--;
  }
  const restA = ja - i + 1; // differing middle of a
  const restB = jb - i + 1;
  if (la === lb) {
    if (restA <= 1) return true; // one substitution
    // transposition of neighbours: "ab" ↔ "ba"
    return restA === 2 && a.charCodeAt(i) === b.charCodeAt(i + 1) && a.charCodeAt(i + 1) === b.charCodeAt(i);
  }
  // one insertion/deletion: the differing middle is one character on the longer side, none on the shorter
  return la > lb ? restA <= 1 && restB <= 0 : restB <= 1 && restA <= 0;
}
