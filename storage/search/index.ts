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
export {
  productKeywords,
  categorySlug,
  colorSlug,
  materialSlug,
  fold,
  CATEGORY_WORDS,
  COLOR_WORDS,
  MATERIAL_WORDS,
} from './vocabulary.ts';
