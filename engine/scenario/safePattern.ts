/**
 * Validation patterns a designer writes for a text slot. The engine cannot time-limit a regular
 * expression, so only a subset that matches in linear-ish time is accepted: literals, escapes
 * (\d \w \s and escaped punctuation), character classes, groups and alternation, and quantifiers
 * on a single character, class or escape — or on a group that itself holds no quantifier and no
 * alternation. Refused: nested quantifiers (`(a+)+`), quantified alternation (`(a|b)*`),
 * backreferences (`\1`, `\k<x>`), lookaround, and anything JavaScript cannot compile.
 * Returns the reason a pattern is refused, or null when it is safe.
 */
export const MAX_PATTERN_QUANTIFIERS = 10;

export function unsafePattern(pattern: string): string | null {
  if (pattern.length > 200) return 'pattern is longer than 200 characters';
  try {
    new RegExp(pattern, 'u');
  } catch (error) {
    return `not a valid regular expression: ${(error as Error).message}`;
  }
  if (/\\[1-9]|\\k</.test(pattern)) return 'backreferences are not allowed';
  if (/\(\?<?[=!]/.test(pattern)) return 'lookahead and lookbehind are not allowed';

  /** per open group: whether it holds a quantifier or an alternation */
  const groups: { quantified: boolean; alternation: boolean }[] = [];
  let quantifiers = 0;
  /** what the previous token was: a single atom, a closed group (and what it held), or nothing quantifiable */
  let previous: 'atom' | 'none' | { quantified: boolean; alternation: boolean } = 'none';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i];
    if (c === '\\') {
      i++;
      previous = 'atom';
      continue;
    }
    if (c === '[') {
      // a class is one atom: skip to its closing bracket (escapes inside included)
      i++;
      if (pattern[i] === '^') i++;
      if (pattern[i] === ']') i++;
      while (i < pattern.length && pattern[i] !== ']') i += pattern[i] === '\\' ? 2 : 1;
      previous = 'atom';
      continue;
    }
    if (c === '(') {
      if (pattern[i + 1] === '?') i += pattern[i + 2] === ':' ? 2 : pattern.indexOf('>', i) - i;
      groups.push({ quantified: false, alternation: false });
      previous = 'none';
      continue;
    }
    if (c === ')') {
      const closed = groups.pop() ?? { quantified: false, alternation: false };
      previous = closed;
      const parent = groups[groups.length - 1];
      if (parent) {
        parent.quantified ||= closed.quantified;
        parent.alternation ||= closed.alternation;
      }
      continue;
    }
    if (c === '|') {
      const open = groups[groups.length - 1];
      if (open) open.alternation = true;
      previous = 'none';
      continue;
    }
    const quantifier = c === '*' || c === '+' || c === '?' || (c === '{' && /^\{\d+(,\d*)?\}/.test(pattern.slice(i)));
    if (quantifier) {
      if (c === '{') i = pattern.indexOf('}', i);
      if (pattern[i + 1] === '?') i++;
      quantifiers++;
      if (typeof previous === 'object' && (previous.quantified || previous.alternation))
        return previous.quantified
          ? 'nested quantifiers are not allowed (a repeated group that repeats inside)'
          : 'a repeated group with alternatives is not allowed';
      const open = groups[groups.length - 1];
      if (open) open.quantified = true;
      previous = 'none';
      continue;
    }
    previous = 'atom';
  }
  if (quantifiers > MAX_PATTERN_QUANTIFIERS) return `more than ${MAX_PATTERN_QUANTIFIERS} quantifiers`;
  return null;
}
