import { describe, expect, it } from 'vitest';
import { productCaption } from '../whatsapp/renderProducts.ts';
import { shippedTexts } from './testing/texts.ts';

describe('the price a product fell from', () => {
  const item = { id: 'x', sku: 'УД-0042', name: 'Пуф', price: 19_990, currency: 'KZT', available: true };

  it('is shown beside the price on WhatsApp in the conversation language, only while it is higher', () => {
    expect(productCaption({ ...item, oldPrice: 25_000 }, shippedTexts('kk'))).toContain('19 990 ₸ (бұрын 25 000 ₸)');
    expect(productCaption({ ...item, oldPrice: 19_990 }, shippedTexts('ru'))).not.toContain('было');
    expect(productCaption(item, shippedTexts('ru'))).not.toContain('было');
  });
});
