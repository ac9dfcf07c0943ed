export { loadTaxonomy } from './load.ts';
export { TermIndex, type NewTerm, type TermKind } from './terms.ts';
export { createTerms } from './ensure.ts';
export { slugFromName } from './slug.ts';
export { TaxonomyError, isTaxonomyError } from './errors.ts';
export {
  listCategories,
  getCategory,
  createCategory,
  updateCategory,
  deleteCategory,
  type CategoryNode,
  type NewCategory,
  type CategoryPatch,
} from './categories.ts';
export {
  listAttributes,
  getAttribute,
  createAttribute,
  updateAttribute,
  deleteAttribute,
  createAttributeValue,
  updateAttributeValue,
  deleteAttributeValue,
  BUILT_IN_ATTRIBUTES,
  type NewAttribute,
  type AttributePatch,
  type NewAttributeValue,
  type AttributeValuePatch,
} from './attributes.ts';
export { mergeCategories, type MergeResult } from './merge.ts';
export {
  renameCategoryInConversations,
  type ConversationState,
  type ConversationRewrite,
} from './conversations.ts';
