export { loadTaxonomy } from './load.ts';
export { TermIndex, type NewTerm, type TermKind } from './terms.ts';
export { createTerms } from './ensure.ts';
export { slugFromName } from './slug.ts';
