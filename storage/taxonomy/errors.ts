/**
 * Why a taxonomy edit was refused, in words for the person who tried it. `code` tells the caller
 * how to answer: `not_found` (no such category, attribute or value), `conflict` (the slug is taken,
 * products still use it) or `invalid` (a cycle in the tree, a built-in attribute's kind).
 */
export class TaxonomyError extends Error {
  override readonly name = 'TaxonomyError';
  constructor(
    readonly code: 'not_found' | 'conflict' | 'invalid',
    message: string,
  ) {
    super(message);
  }
}

export const isTaxonomyError = (error: unknown): error is TaxonomyError => error instanceof TaxonomyError;
