export {
  searchProducts,
  type CorrectionMemo,
  type ProductSearch,
  type ScopeMemo,
  type SearchDb,
  type SearchOptions,
  type SearchResult,
} from './search.ts';
export { parseQuery } from './query.ts';
export { fold } from './fold.ts';
