import { describe, expect, it } from 'vitest';
import { demoVocabulary } from '../testing/demoTaxonomy.ts';
import { understandText as understandWith, type UnderstandContext } from './index.ts';

const understandText = (text: string, context: UnderstandContext) => understandWith(text, context, demoVocabulary());

const search = (text: string, criteria?: { category?: 'sofa' }) => {
  const { intent } = understandText(text, { lang: 'ru', ...(criteria ? { criteria } : {}) });
  return intent.name === 'search_products' ? intent : undefined;
};

describe('asking for goods out of stock too', () => {
  it.each([
    ['прихожая Гостья под заказ', { query: 'гостья', category: 'hallway' }],
    ['кресло Лорд, даже если нет в наличии', { query: 'лорд', category: 'armchair' }],
    ['розовое кресло, включая отсутствующие', { category: 'armchair', color: 'pink' }],
    ['диваны, в том числе которых нет в наличии', { category: 'sofa' }],
    ['sofa even if out of stock', { category: 'sofa' }],
    ['қызыл диван қоймада жоқ болса да', { category: 'sofa', color: 'red' }],
  ])('«%s» searches with include_unavailable and leaves the phrase out of the words', (text, args) => {
    expect(search(text)?.args).toEqual({ ...args, include_unavailable: true });
  });

  it('alone, while a search is on screen, refines it', () => {
    expect(search('а под заказ?', { category: 'sofa' })).toMatchObject({
      mode: 'refine',
      args: { include_unavailable: true },
    });
  });

  it('is not read into «есть в наличии?» or a plain search', () => {
    expect(search('есть в наличии?')?.args.include_unavailable).toBeUndefined();
    expect(search('красный диван')?.args.include_unavailable).toBeUndefined();
  });
});
