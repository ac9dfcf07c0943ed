import { describe, expect, it } from 'vitest';
import { skuFromText } from './skuFromText.ts';

describe('skuFromText', () => {
  it.each([
    ['SOFA-001', 'SOFA-001'],
    ['Артикул: BED-0042\nЦена 250 000 ₸', 'BED-0042'],
    ['арт. KZ-TBL-7', 'KZ-TBL-7'],
    ['SKU: CHR-12', 'CHR-12'],
    ['Диван «Милан»  SOFA - 001  Цена: 199 990', 'SOFA-001'],
    ['Артикул SOFA-0O1', 'SOFA-001'],
    ['sofa-00l', 'SOFA-001'],
    ['Артикул: СОФА-001', 'СОФА-001'], // Ф has no Latin twin: read as the retailer's own code, as printed
    ['Артикул: ВЕD-12', 'BED-12'], // Cyrillic В/Е read for Latin
    ['код товара TBL-300 размер 120-80', 'TBL-300'],
  ])('%s → %s', (text, sku) => {
    expect(skuFromText(text)).toBe(sku);
  });

  it('ignores words that only look like codes, and plain prices', () => {
    expect(skuFromText('Wi-Fi free, 250 000 ₸')).toBeNull();
    expect(skuFromText('Кровать 160-200, 2-х спальная')).toBeNull();
    expect(skuFromText('')).toBeNull();
    expect(skuFromText('🛋️🛋️')).toBeNull();
    expect(skuFromText('x'.repeat(100_000))).toBeNull();
  });
});

describe('retailer codes on price tags', () => {
  it.each([
    ['Комод «Берн»\nАртикул: КГ 17/3\nЦена: 45 000 ₸', 'КГ 17/3'],
    ['Арт. 000123456 Цена 70 000', '000123456'],
    ['Код товара: 7701-55', '7701-55'],
    ['Артикул: УД-0042', 'УД-0042'],
  ])('%s → %s', (text, sku) => {
    expect(skuFromText(text)).toBe(sku);
  });

  it('a label followed by no code is no code', () => {
    expect(skuFromText('Артикул: уточняйте у продавца')).toBeNull();
  });
});
