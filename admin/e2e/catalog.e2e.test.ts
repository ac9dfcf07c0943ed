import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildIfNeeded } from '../build-if-needed.mjs';
import { login, newPage, shot, startWorld, type World } from './harness.ts';

/**
 * The retailer's own taxonomy in the panel, in a real browser against the real server: a category
 * made in the Catalog page takes a product, is merged into another after a confirmation, and the
 * product shows up under the category it was merged into, by its human name.
 */
describe('catalog taxonomy in chromium', () => {
  let world: World;
  let context: BrowserContext;
  let page: Page;
  const go = (section: string) => page.click(`[data-testid=nav-${section}]`);
  const categoryRow = (slug: string) => page.locator(`[data-testid=category-row][data-slug="${slug}"]`);
  const row = (sku: string) => page.locator(`[data-testid=product-row][data-sku="${sku}"]`);
  const products = async (slug: string) =>
    Number((await categoryRow(slug).locator('[data-testid=category-products]').textContent())?.split('/')[0]);

  beforeAll(async () => {
    buildIfNeeded();
    world = await startWorld();
    ({ context, page } = await newPage(world, { lang: 'en' }));
    await login(page, world.url);
  });
  afterAll(async () => {
    await context?.close();
    await world?.close();
  });

  it('creates a category, files a product under it, merges it into another and sees the product moved', async () => {
    await go('catalog');
    await page.click('[data-testid=category-new]');
    const form = page.locator('[data-testid=category-form]');
    await form.locator('input[name=ru]').fill('Банкетки');
    await form.locator('input[name=en]').fill('Benches');
    await form.locator('select[name=parent]').selectOption('pouf');
    await form.locator('textarea[name=synonyms]').fill('банкетка, скамья для прихожей');
    await page.click('[data-testid=category-save]');
    await categoryRow('banketki').waitFor();
    expect(await categoryRow('banketki').textContent()).toContain('скамья для прихожей');

    await go('products');
    await page.click('[data-testid=product-new]');
    const product = page.locator('[data-testid=product-form]');
    await product.locator('input[name=sku]').fill('БК-1/А');
    await product.locator('input[name=name]').fill('Банкетка «Лофт»');
    await product.locator('input[name=price]').fill('39900');
    await product.locator('select[name=category]').selectOption('banketki');
    await page.click('[data-testid=product-create]');
    await page.waitForSelector('[data-testid=product-form]', { state: 'detached' });
    await page.fill('[data-testid=product-search]', 'БК-1');
    await row('БК-1/А').waitFor();
    // the category as people read it, not its slug
    expect(await row('БК-1/А').locator('[data-testid=product-category]').textContent()).toBe('Benches');

    await go('catalog');
    const poufsBefore = await products('pouf');
    await categoryRow('banketki').locator('[data-testid=category-merge]').click();
    const dialog = page.locator('[data-testid=merge-dialog]');
    await dialog.locator('select[name=into]').selectOption('pouf');
    await page.click('[data-testid=merge-next]');
    expect(await page.textContent('[data-testid=merge-warning]')).toMatch(
      /«Benches» will disappear: its 1 products.*move to «Poufs»/,
    );
    await shot(page, '20-catalog-merge');
    await page.click('[data-testid=merge-confirm]');
    await page.waitForSelector('[data-testid=merge-dialog]', { state: 'detached' });
    await categoryRow('banketki').waitFor({ state: 'detached' });
    await expect.poll(() => products('pouf')).toBe(poufsBefore + 1);
    expect(await categoryRow('pouf').textContent()).toContain('Benches');

    await go('products');
    await page.selectOption('select[aria-label=Category]', 'pouf');
    await page.fill('[data-testid=product-search]', 'БК-1');
    await expect.poll(() => row('БК-1/А').locator('[data-testid=product-category]').textContent()).toBe('Poufs');
    await shot(page, '21-products-after-merge');
  });
});
