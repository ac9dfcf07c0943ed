import { describe, expect, it } from 'vitest';
import { demoVocabulary } from '../testing/demoTaxonomy.ts';
import { understandText as understandWith, type UnderstandContext } from './index.ts';

const understandText = (text: string, context: UnderstandContext) => understandWith(text, context, demoVocabulary());

describe('a feature named while results are on screen', () => {
  const onScreen = { lang: 'ru' as const, criteria: { category: 'bed' as const } };

  it.each([
    ['с ящиком', 'ящиком'],
    ['с ящиком для белья', 'ящиком белья'],
    ['with a drawer', 'drawer'],
  ])('«%s» refines the search with its words', (text, query) => {
    expect(understandText(text, onScreen).intent).toEqual({ name: 'search_products', args: { query }, mode: 'refine' });
  });

  it('is not a search without results on screen, nor for shop topics', () => {
    expect(understandText('с ящиком', { lang: 'ru' }).intent.name).toBe('unknown');
    expect(understandText('с доставкой?', onScreen).intent.name).toBe('unknown');
  });
});
