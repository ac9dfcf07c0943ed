import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { catalogSkus, loadRetailerSet, RETAILER_HELDOUT_LABELS } from './retailerSet.ts';

describe('the retailer search set', () => {
  const set = loadRetailerSet();
  const skus = catalogSkus(readFileSync(set.catalogFile, 'utf8'));

  it('has at least 150 cases with distinct ids', () => {
    expect(set.queries.length).toBeGreaterThanOrEqual(150);
    expect(new Set(set.queries.map((q) => q.id)).size).toBe(set.queries.length);
  });

  it('labels only SKUs the catalog file holds, each once', () => {
    expect(new Set(skus).size).toBe(skus.length);
    const known = new Set(skus);
    const unknown = set.queries.flatMap((q) =>
      Object.keys(q.relevant)
        .filter((sku) => !known.has(sku))
        .map((sku) => `#${q.id} ${sku}`),
    );
    expect(unknown).toEqual([]);
  });

  it('keeps the SKU shapes the set is about', () => {
    expect(skus).toEqual(expect.arrayContaining(['УД-0042', '000123456', 'КГ 17/3', 'СТ-1/А', '7701-55']));
  });
});

describe('the held-out retailer set', () => {
  const set = loadRetailerSet(RETAILER_HELDOUT_LABELS);
  const main = loadRetailerSet();
  const known = new Set(catalogSkus(readFileSync(set.catalogFile, 'utf8')));

  it('has at least 30 cases, none worded as a case of the main set, ids apart from it', () => {
    expect(set.queries.length).toBeGreaterThanOrEqual(30);
    const mainTurns = new Set(main.queries.map((q) => q.turns.join(' → ').toLowerCase()));
    expect(set.queries.filter((q) => mainTurns.has(q.turns.join(' → ').toLowerCase()))).toEqual([]);
    const mainIds = new Set(main.queries.map((q) => q.id));
    expect(set.queries.filter((q) => mainIds.has(q.id))).toEqual([]);
  });

  it('labels only SKUs the catalog file holds', () => {
    const unknown = set.queries.flatMap((q) => Object.keys(q.relevant).filter((sku) => !known.has(sku)));
    expect(unknown).toEqual([]);
  });
});
