import { createWorker, OEM, PSM, type Worker } from 'tesseract.js';
import type { Logger, Media, OcrPort } from '../runtime/ports.ts';
import { findSkus, hasCleanSku } from './skuText.ts';
import { prepareLangDir, type OcrLanguage } from './tessdata.ts';

export class OcrTimeoutError extends Error {
  override readonly name = 'OcrTimeoutError';
  constructor(ms: number) {
    super(`OCR took longer than ${ms} ms`);
  }
}

export class OcrFailedError extends Error {
  override readonly name = 'OcrFailedError';
  constructor(reason: string) {
    super(`OCR failed: ${reason}`);
  }
}

export type TesseractOcrOptions = {
  /** parallel recognitions (each slot holds up to two workers); default 1 */
  poolSize?: number;
  /** per image; a stuck worker is terminated and replaced */
  timeoutMs?: number;
  /** where the language-data links go (default: a directory under the OS temp dir) */
  langDir?: string;
  log?: Logger;
};

type Slot = { mixed?: Promise<Worker> | undefined; latin?: Promise<Worker> | undefined; busy: boolean };

/**
 * OcrPort on tesseract.js, fully offline. Long-lived workers are reused across calls (start-up
 * costs about a second). Two passes per image when needed: Russian+English for the words on the
 * tag, then English alone when no clean SKU was read — the mixed model turns Latin SKUs into
 * Cyrillic look-alikes (`CHR-007` → `СНВ-007`) that no character mapping can undo. SKUs found are
 * appended to the text in catalog form, so the engine's SKU lookup finds them.
 */
export class TesseractOcr implements OcrPort {
  readonly languages: OcrLanguage[];
  readonly #langPath: string;
  readonly #timeoutMs: number;
  readonly #log: Logger | undefined;
  readonly #slots: Slot[];
  readonly #waiting: Array<(slot: Slot) => void> = [];
  #closed = false;

  constructor(opts: TesseractOcrOptions = {}) {
    const { langPath, languages } = prepareLangDir(opts.langDir);
    this.#langPath = langPath;
    this.languages = languages;
    this.#timeoutMs = opts.timeoutMs ?? 20_000;
    this.#log = opts.log;
    this.#slots = Array.from({ length: Math.max(1, opts.poolSize ?? 1) }, () => ({ busy: false }));
  }

  async read(image: Media): Promise<string> {
    if (this.#closed) throw new OcrFailedError('OCR is shut down');
    if (!looksLikeImage(image.bytes)) throw new OcrFailedError('not a readable image (unknown format)');
    const slot = await this.#acquire();
    let timer: NodeJS.Timeout | undefined;
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new OcrTimeoutError(this.#timeoutMs)), this.#timeoutMs);
      });
      return await Promise.race([this.#recognize(slot, Buffer.from(image.bytes)), timeout]);
    } catch (error) {
      if (error instanceof OcrTimeoutError) await this.#reset(slot);
      if (error instanceof OcrTimeoutError || error instanceof OcrFailedError) throw error;
      throw new OcrFailedError(
        typeof error === 'string' ? error : error instanceof Error ? error.message : 'unreadable image',
      );
    } finally {
      clearTimeout(timer);
      this.#release(slot);
    }
  }

  /** Starts the workers now instead of on the first photo. */
  async warm(): Promise<void> {
    const slot = this.#slots[0]!;
    await this.#worker(slot, 'mixed');
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => this.#reset(s)));
  }

  async #recognize(slot: Slot, bytes: Buffer): Promise<string> {
    const mixed = await this.#worker(slot, 'mixed');
    const first = (await mixed.recognize(bytes, { rotateAuto: true })).data.text.trim();
    if (hasCleanSku(first) || !this.languages.includes('rus')) return withSkus(first, findSkus(first));
    const latin = await this.#worker(slot, 'latin');
    const second = (await latin.recognize(bytes, { rotateAuto: true })).data.text;
    return withSkus(first, [...findSkus(second), ...findSkus(first)]);
  }

  #worker(slot: Slot, kind: 'mixed' | 'latin'): Promise<Worker> {
    const existing = slot[kind];
    if (existing) return existing;
    const langs = kind === 'latin' ? ['eng'] : this.languages;
    const created = createWorker(langs, OEM.LSTM_ONLY, {
      langPath: this.#langPath,
      gzip: true,
      cacheMethod: 'none',
      // without a handler, a failed job throws inside tesseract's message listener and kills the process
      errorHandler: (error: unknown) => this.#log?.warn({ err: String(error) }, 'tesseract job failed'),
    }).then(async (worker) => {
      // sparse text: price tags are a few scattered lines, not a page
      await worker.setParameters({ tessedit_pageseg_mode: PSM.SPARSE_TEXT, debug_file: '/dev/null' } as Parameters<
        Worker['setParameters']
      >[0]);
      return worker;
    });
    slot[kind] = created;
    created.catch(() => {
      if (slot[kind] === created) slot[kind] = undefined;
    });
    return created;
  }

  async #reset(slot: Slot): Promise<void> {
    const workers = [slot.mixed, slot.latin];
    slot.mixed = undefined;
    slot.latin = undefined;
    await Promise.all(workers.map(async (w) => (await w?.catch(() => undefined))?.terminate().catch(() => undefined)));
  }

  /**
   * Waiting reads are served first come, first served. The runtime runs one turn at a time per
   * conversation, so a shopper has at most one read here: this order is round robin per shopper,
   * and photos sent in a loop delay another shopper's photo by one read at most
   * (hosts/runtime/photoFairness.test.ts).
   */
  #acquire(): Promise<Slot> {
    const free = this.#slots.find((s) => !s.busy);
    if (free) {
      free.busy = true;
      return Promise.resolve(free);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(slot: Slot) {
    const next = this.#waiting.shift();
    if (next) next(slot);
    else slot.busy = false;
  }
}

/** JPEG, PNG, GIF, BMP, WebP, TIFF by their magic bytes: anything else would only make leptonica complain */
function looksLikeImage(b: Uint8Array): boolean {
  const starts = (...sig: number[]) => sig.every((x, i) => b[i] === x);
  return (
    starts(0xff, 0xd8, 0xff) ||
    starts(0x89, 0x50, 0x4e, 0x47) ||
    starts(0x47, 0x49, 0x46) ||
    starts(0x42, 0x4d) ||
    (starts(0x52, 0x49, 0x46, 0x46) && b[8] === 0x57 && b[9] === 0x45 && b[10] === 0x42 && b[11] === 0x50) ||
    starts(0x49, 0x49, 0x2a, 0x00) ||
    starts(0x4d, 0x4d, 0x00, 0x2a)
  );
}

function withSkus(text: string, skus: string[]): string {
  const unique = [...new Set(skus)].filter((sku) => !text.includes(sku));
  return [text, ...unique].filter(Boolean).join('\n');
}
