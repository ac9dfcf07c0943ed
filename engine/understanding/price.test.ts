import { describe, expect, it } from 'vitest';
import { demoVocabulary } from '../testing/demoTaxonomy.ts';
import { understandText as understandWith, type UnderstandContext } from './index.ts';

const understandText = (text: string, context: UnderstandContext) => understandWith(text, context, demoVocabulary());

const price = (text: string) => {
  const { intent } = understandText(text, { lang: 'ru' });
  if (intent.name !== 'search_products') return undefined;
  const { price_min, price_max, query } = intent.args;
  return { price_min, price_max, query };
};

describe('prices in number words, ranges and shorthand', () => {
  it.each([
    ['красный диван тысяч до ста пятидесяти', undefined, 150_000],
    ['диван до ста пятидесяти тысяч', undefined, 150_000],
    ['диван сто пятьдесят тысяч', undefined, 150_000],
    ['диван до 150 тыс', undefined, 150_000],
    ['стол 150к', undefined, 150_000],
    ['угловой диван до полутора миллионов', undefined, 1_500_000],
    ['кровать до полумиллиона', undefined, 500_000],
    ['диван в пределах сотки', undefined, 100_000],
    ['стул до двадцати тысяч', undefined, 20_000],
    ['кресло до пятидесяти', undefined, 50_000],
    ['dining table between 50 and 200k', 50_000, 200_000],
    ['обеденный стол от 50 до 200 тыс', 50_000, 200_000],
    ['детская кровать от ста до ста пятидесяти тысяч', 100_000, 150_000],
    ['диван от ста пятидесяти до двухсот пятидесяти тысяч', 150_000, 250_000],
    ['sofa from 150 to 250 thousand', 150_000, 250_000],
  ])('«%s» → %s … %s', (text, min, max) => {
    const read = price(text);
    expect(read?.price_min).toBe(min);
    expect(read?.price_max).toBe(max);
    // the number words and units are the price, not free search words
    expect(read?.query ?? '').not.toMatch(/тысяч|ста|пятидесяти|полутора|сотки|двадцати/u);
  });

  it('leaves number words that are not prices alone', () => {
    expect(price('кровать полтора на два')).toMatchObject({ price_min: undefined, price_max: undefined });
    expect(price('шкаф на три двери')).toMatchObject({ price_min: undefined, price_max: undefined });
  });
});
