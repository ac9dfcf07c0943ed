import { describe, expect, it } from 'vitest';
import { findSkus, hasCleanSku } from './skuText.ts';

describe('findSkus', () => {
  it('reads SKUs in catalog form', () => {
    expect(findSkus('Артикул: SOFA-001\n249 900 т')).toEqual(['SOFA-001']);
    expect(findSkus('SKU: BED-014 / KZ-TBL-7')).toEqual(['BED-014', 'KZ-TBL-7']);
  });

  it('maps Cyrillic look-alikes and letter-digits, normalises dashes and spaces', () => {
    expect(findSkus('Арт. ВЕD-ОО1')).toEqual(['BED-001']);
    expect(findSkus('Арт. СНR-0О7')).toEqual(['CHR-007']);
    expect(findSkus('BED – 0I4')).toEqual(['BED-014']);
    expect(findSkus('арт: sofa-001')).toEqual(['SOFA-001']);
  });

  it('ignores words with hyphens and sizes', () => {
    expect(findSkus('Wi-Fi, 160x200, кто-то, 20%')).toEqual([]);
  });

  it('tells whether a clean SKU is already there', () => {
    expect(hasCleanSku('Артикул: SOFA-001')).toBe(true);
    expect(hasCleanSku('Арт. СНВ-007')).toBe(false);
  });
});
