export {
  searchProducts,
  type CorrectionMemo,
  type FiledMemo,
  type ProductSearch,
  type ScopeMemo,
  type SearchDb,
  type SearchOptions,
  type SearchResult,
} from './search.ts';
export type { PrefixMemo } from './prefixWords.ts';
export { parseQuery } from './query.ts';
export { fold } from './fold.ts';
