import { TtlCache } from '../ttlCache.ts';
import type { TermEstimate } from './estimates.ts';
import type { Lexemes } from './lexemes.ts';

/**
 * What searches remember per database handle, beside a bot's own memos (SearchOptions): a word's
 * stems, which depend only on the server's dictionaries (two servers' Snowball versions may stem a
 * word apart), and the planner's estimates of how many products a term matches, which move only
 * with the table's statistics.
 */
export type HandleMemo = { lexemes: TtlCache<string, Lexemes>; estimates: TtlCache<string, TermEstimate> };

const memos = new WeakMap<object, HandleMemo>();

const LEXEMES_MS = 24 * 3600_000;
const ESTIMATES_MS = 5 * 60_000;

export function handleMemo(handle: object): HandleMemo {
  let memo = memos.get(handle);
  if (!memo) {
    memo = { lexemes: new TtlCache(LEXEMES_MS, 50_000), estimates: new TtlCache(ESTIMATES_MS, 20_000) };
    memos.set(handle, memo);
  }
  return memo;
}
