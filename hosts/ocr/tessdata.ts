import { existsSync, mkdirSync, symlinkSync, readlinkSync, unlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Where tesseract's language data lives — locally, always: without an explicit `langPath`
 * tesseract.js downloads from a CDN (and a failed download kills the process).
 *
 * English comes from npm (`@tesseract.js-data/eng`, gzipped); Russian from Debian's
 * `tesseract-ocr-rus` (plain). A worker has one `langPath` and one `gzip` flag, so both files are
 * linked into one directory under the `.gz` names tesseract.js asks for; it checks the gzip magic
 * bytes itself and reads the plain Russian file as is. Nothing is copied or downloaded.
 */

export type OcrLanguage = 'eng' | 'rus';

export const RUSSIAN_CANDIDATES = [
  process.env.TESSDATA_PREFIX ? join(process.env.TESSDATA_PREFIX, 'rus.traineddata') : undefined,
  '/usr/share/tesseract-ocr/5/tessdata/rus.traineddata',
  '/usr/share/tesseract-ocr/4.00/tessdata/rus.traineddata',
  '/usr/share/tessdata/rus.traineddata',
].filter((p): p is string => p !== undefined);

export function englishDataFile(): string {
  const require = createRequire(import.meta.url);
  const pkg = require('@tesseract.js-data/eng') as { langPath: string };
  // the LSTM-only "best_int" model is a quarter of the size and what LSTM_ONLY uses anyway
  const bestInt = join(pkg.langPath, '..', '4.0.0_best_int', 'eng.traineddata.gz');
  return existsSync(bestInt) ? bestInt : join(pkg.langPath, 'eng.traineddata.gz');
}

export function russianDataFile(): string | undefined {
  return RUSSIAN_CANDIDATES.find((p) => existsSync(p));
}

/** A directory with `<lang>.traineddata.gz` links for every available language; returns its path. */
export function prepareLangDir(dir = join(tmpdir(), `zeta-tessdata-${process.getuid?.() ?? 'u'}`)): {
  langPath: string;
  languages: OcrLanguage[];
} {
  mkdirSync(dir, { recursive: true });
  const files: Partial<Record<OcrLanguage, string>> = { eng: englishDataFile() };
  const rus = russianDataFile();
  if (rus) files.rus = rus;
  for (const [lang, target] of Object.entries(files)) {
    const link = join(dir, `${lang}.traineddata.gz`);
    let current: string | undefined;
    try {
      current = readlinkSync(link);
    } catch {
      current = undefined;
    }
    if (current === target) continue;
    try {
      unlinkSync(link);
    } catch {
      // absent
    }
    try {
      symlinkSync(target, link);
    } catch (error) {
      // another worker process linked it at the same moment
      if (!existsSync(link)) throw error;
    }
  }
  return { langPath: dir, languages: rus ? ['rus', 'eng'] : ['eng'] };
}
