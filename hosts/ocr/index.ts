export { TesseractOcr, OcrTimeoutError, OcrFailedError, type TesseractOcrOptions } from './tesseract.ts';
export { findSkus, normaliseCandidate, hasCleanSku } from './skuText.ts';
export { availableLanguages, prepareLangDir, type OcrLanguage } from './tessdata.ts';
