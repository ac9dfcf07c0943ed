import { describe, expect, it } from 'vitest';
import { SKU_TEXT_PATTERN, normalizeSku, skuKey } from './skuKey.ts';

describe('skuKey', () => {
  it('folds case, Cyrillic look-alikes and separators into one key', () => {
    expect(skuKey('ст-1/a')).toBe(skuKey('СТ-1/А'));
    expect(skuKey('СТ-1/А')).toBe('CT1A');
    expect(skuKey('кг 17/3')).toBe(skuKey('КГ 17/3'));
    expect(skuKey('sofa-001')).toBe('SOFA001');
    expect(skuKey('000123456')).toBe('000123456');
  });

  it('keeps letters that have no Latin twin apart', () => {
    expect(skuKey('СТ-2/Б')).not.toBe(skuKey('СТ-2/B'));
  });

  it('accepts retailer codes and refuses punctuation soup', () => {
    for (const ok of ['СТ-1/А', 'СТ-2/Б', '7701-55', 'КГ 17/3', '000123456', 'УД-0042', 'SOFA-001', 'A.12']) {
      expect(SKU_TEXT_PATTERN.test(normalizeSku(ok)), ok).toBe(true);
    }
    for (const bad of ['-', '/12', 'A,B', 'SOFA#1', '']) expect(SKU_TEXT_PATTERN.test(bad), bad).toBe(false);
  });

  it('stores codes trimmed, upper-cased, with single spaces', () => {
    expect(normalizeSku('  кг   17/3 ')).toBe('КГ 17/3');
  });
});
