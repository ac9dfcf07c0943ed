import { readFileSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { findSkus } from './skuText.ts';
import { OcrFailedError, TesseractOcr } from './tesseract.ts';

/**
 * Real OCR on committed fixtures (rendered with ImageMagick + DejaVu): price tags in Russian and
 * English, one photographed-looking (rotated, noisy JPEG), one without a SKU.
 */

const fixture = (name: string) => ({
  bytes: new Uint8Array(readFileSync(new URL(`./fixtures/${name}`, import.meta.url))),
  mime: name.endsWith('.png') ? 'image/png' : 'image/jpeg',
  filename: name,
});

const ocr = new TesseractOcr({ timeoutMs: 60_000 });
afterAll(async () => ocr.close());

describe('TesseractOcr (offline)', () => {
  it('finds the Latin SKU on an English tag', async () => {
    expect(findSkus(await ocr.read(fixture('tag-en-bed-014.png')))).toContain('BED-014');
  }, 60_000);

  // the test run's preflight (infra/testing/preflight.ts) stops it when the Russian data is missing
  it('reads a Russian tag «Артикул: SOFA-001» with its Cyrillic words', async () => {
    const text = await ocr.read(fixture('tag-ru-sofa-001.png'));
    expect(text).toContain('Артикул');
    expect(findSkus(text)).toContain('SOFA-001');
  }, 60_000);

  it('recovers a SKU the Russian model misreads, on a rotated noisy photo', async () => {
    expect(findSkus(await ocr.read(fixture('tag-photo-chr-007.jpg')))).toContain('CHR-007');
  }, 60_000);

  it('returns the text and no SKU when the tag has none', async () => {
    const text = await ocr.read(fixture('tag-no-sku.png'));
    expect(findSkus(text)).toEqual([]);
    expect(text.length).toBeGreaterThan(0);
  }, 60_000);

  it('rejects unreadable bytes with a typed error and keeps working', async () => {
    await expect(
      ocr.read({ bytes: new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8]), mime: 'image/jpeg', filename: 'x.jpg' }),
    ).rejects.toBeInstanceOf(OcrFailedError);
    // a truncated JPEG gets past the signature check and is refused by tesseract itself
    const jpeg = new Uint8Array(readFileSync(new URL('./fixtures/tag-photo-chr-007.jpg', import.meta.url))).slice(
      0,
      200,
    );
    await expect(ocr.read({ bytes: jpeg, mime: 'image/jpeg', filename: 'cut.jpg' })).rejects.toBeInstanceOf(
      OcrFailedError,
    );
    expect(findSkus(await ocr.read(fixture('tag-en-bed-014.png')))).toContain('BED-014');
  }, 60_000);
});

describe('TesseractOcr with two workers', () => {
  const pool = new TesseractOcr({ timeoutMs: 60_000, poolSize: 2 });
  afterAll(async () => pool.close());

  it('three photos sent at once all come back right (the third waits for a free worker)', async () => {
    const read = (name: string) => pool.read(fixture(name)).then(findSkus);
    const [bed, chair, again] = await Promise.all([
      read('tag-en-bed-014.png'),
      read('tag-photo-chr-007.jpg'),
      read('tag-en-bed-014.png'),
    ]);
    expect(bed).toContain('BED-014');
    expect(chair).toContain('CHR-007');
    expect(again).toContain('BED-014');
  }, 120_000);
});
