import { sql, type RawBuilder } from 'kysely';
import type { Db } from '../repos/common.ts';
import type { TtlCache } from '../ttlCache.ts';
import { termPrefixes, type Term } from './terms.ts';

/** the two text indexes: `title_tsv` (name, category and value words) and `desc_tsv` (description) */
export type Field = 'title' | 'description';

/**
 * The catalog's lexemes that start with each prefix, per index (`search_lexemes`, kept by the
 * products' triggers); null when a prefix has more than MAX_WORDS of them — it is then searched as
 * the prefix. A bot remembers them briefly (`PrefixMemo`) and forgets them when its catalog changes:
 * a product imported a moment ago may bring a new form of a word, and a word missing from the list
 * is a product the index condition cannot find.
 */
type Words = Readonly<Record<Field, readonly string[]>> | null;
export type PrefixWords = ReadonlyMap<string, Words>;
export type PrefixMemo = TtlCache<string, Words>;

/** beyond this many words a prefix stays a prefix: a tsquery of hundreds of lexemes costs more to plan than it saves */
const MAX_WORDS = 32;

export async function prefixWords(db: Db, prefixes: readonly string[], memo?: PrefixMemo): Promise<PrefixWords> {
  const known = new Map<string, Words>();
  const unique: string[] = [];
  for (const p of new Set(prefixes)) {
    const hit = memo?.lookup(p);
    if (hit) known.set(p, hit.value);
    else unique.push(p);
  }
  if (unique.length === 0) return known;
  // U+10FFFF, the last code point, bounds the range: under "C" every word with the prefix sorts below it
  const { rows } = await sql<{ prefix: string; word: string | null; field: Field | null }>`
    SELECT p AS prefix, l.word, l.field
      FROM unnest(${sql.val(unique)}::text[]) AS p
      LEFT JOIN LATERAL (
        SELECT word, field FROM search_lexemes
         WHERE word >= p COLLATE "C" AND word < (p || chr(1114111)) COLLATE "C"
         ORDER BY word, field LIMIT ${MAX_WORDS * 2 + 1}) l ON true`.execute(db);
  const found = new Map<string, { title: string[]; description: string[] }>();
  for (const p of unique) found.set(p, { title: [], description: [] });
  for (const r of rows) if (r.word !== null && r.field !== null) found.get(r.prefix)![r.field].push(r.word);
  for (const [p, words] of found) {
    const kept = words.title.length > MAX_WORDS || words.description.length > MAX_WORDS ? null : words;
    memo?.set(p, kept);
    known.set(p, kept);
  }
  return known;
}

/**
 * What `termQuery(...terms)` matches in one index, for its index condition: each prefix as the
 * exact lexemes `words` found for it there (GIN reads those straight from their posting lists), a
 * prefix with too many as the prefix. Null when nothing in that index can match: none of the
 * prefixes has a word there and no size or count phrase is asked for.
 */
export function fieldQuery(terms: readonly Term[], words: PrefixWords, field: Field): RawBuilder<unknown> | null {
  // a set: two prefixes of a term may share words («зеркал», «зеркальн»), and GIN reads each operand anew
  const operands = new Set(
    termPrefixes(terms).flatMap((p) => {
      const exact = words.get(p);
      return exact === null || exact === undefined ? [`${quoted(p)}:*`] : exact[field].map(quoted);
    }),
  );
  const phrases = terms.flatMap((t) => (t.phrase ? [`(${t.phrase})`] : []));
  // lexemes are taken as they are (`::tsquery`): they are the index's own, no parser may split `sofa-001`
  const exact = operands.size ? sql`${[...operands].join(' | ')}::tsquery` : null;
  const phrase = phrases.length ? sql`to_tsquery('simple'::regconfig, ${phrases.join(' | ')})` : null;
  return exact && phrase ? sql`(${exact} || ${phrase})` : (exact ?? phrase);
}

/** a lexeme in tsquery syntax: in quotes, a quote doubled and a backslash escaped */
function quoted(lexeme: string): string {
  return `'${lexeme.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}
