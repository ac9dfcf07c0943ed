import type { ActualLine, Expectation, ExpectLine } from './model.ts';
import { printActual } from './print.ts';

export type TurnMatch = { ok: true } | { ok: false; diff: string };

/** Whether one reply line satisfies one expectation (not `any` / `silence`). */
export function matchesLine(expect: Expectation, actual: ActualLine): boolean {
  switch (expect.kind) {
    case 'exact':
      return actual.kind === 'text' && normalize(actual.text) === normalize(expect.text);
    case 'contains':
      return actual.kind === 'text' && fold(actual.text).includes(fold(expect.text));
    case 'regex':
      return actual.kind === 'text' && new RegExp(expect.pattern, expect.flags).test(actual.text);
    case 'products': {
      if (actual.kind !== 'products' || actual.view !== expect.view) return false;
      if (expect.mode === 'any') return true;
      if (expect.mode === 'contains') return expect.skus.every((sku) => actual.skus.includes(sku));
      return actual.skus.length === expect.skus.length && actual.skus.every((sku, i) => sku === expect.skus[i]);
    }
    case 'choices': {
      if (actual.kind !== 'choices') return false;
      if (expect.mode === 'contains')
        return expect.labels.every((label) => actual.labels.some((a) => fold(a) === fold(label)));
      return (
        actual.labels.length === expect.labels.length &&
        actual.labels.every((label, i) => normalize(label) === normalize(expect.labels[i] ?? ''))
      );
    }
    case 'image':
      return actual.kind === 'image' && (expect.url === undefined || actual.url === expect.url);
    case 'any':
    case 'silence':
      return false;
  }
}

/**
 * Matches a turn's expectations against its reply lines, in order. `...` matches any run of
 * lines; `(silence)` matches no lines at all. No expectations: the turn is not checked.
 */
export function matchTurn(expects: readonly ExpectLine[], actual: readonly ActualLine[]): TurnMatch {
  if (expects.length === 0) return { ok: true };
  const wanted = expects.filter((e) => e.kind !== 'silence');
  if (wanted.length === 0 ? actual.length === 0 : walk(wanted, 0, actual, 0)) return { ok: true };
  return { ok: false, diff: describe(expects, actual) };
}

function walk(expects: readonly Expectation[], i: number, actual: readonly ActualLine[], j: number): boolean {
  if (i === expects.length) return j === actual.length;
  const expect = expects[i]!;
  if (expect.kind === 'any') {
    for (let k = j; k <= actual.length; k++) if (walk(expects, i + 1, actual, k)) return true;
    return false;
  }
  return j < actual.length && matchesLine(expect, actual[j]!) && walk(expects, i + 1, actual, j + 1);
}

/** A readable expected-vs-actual listing; line by line marks when there is no `...`. */
function describe(expects: readonly ExpectLine[], actual: readonly ActualLine[]): string {
  const out: string[] = [];
  const positional = !expects.some((e) => e.kind === 'any' || e.kind === 'silence');
  out.push('    expected:');
  expects.forEach((expect, i) => {
    const got = actual[i];
    const mark = positional ? (got && matchesLine(expect, got) ? '✓' : '✗') : ' ';
    out.push(indent(`${mark} ${expect.source}`, '      ', '          '));
  });
  out.push('    actual:');
  if (actual.length === 0) out.push('        (silence)');
  actual.forEach((line, i) => {
    const extra = positional && i >= expects.length ? '+' : ' ';
    out.push(indent(`${extra} < ${printActual(line)}`, '      ', '          '));
  });
  return out.join('\n');
}

function indent(text: string, first: string, rest: string): string {
  return text
    .split('\n')
    .map((line, i) => (i === 0 ? first : rest) + line)
    .join('\n');
}

function normalize(text: string): string {
  return text
    .split('\n')
    .map((line) => line.replace(/\s+$/, ''))
    .join('\n')
    .replace(/\u00a0|\u202f/g, ' ')
    .trim();
}

/** contains/choice matching ignores case, ё/е and non-breaking spaces */
function fold(text: string): string {
  return normalize(text).toLowerCase().replace(/ё/g, 'е');
}
