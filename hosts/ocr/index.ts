export { TesseractOcr, OcrTimeoutError, OcrFailedError, type TesseractOcrOptions } from './tesseract.ts';
export { findSkus, normaliseCandidate, hasCleanSku } from './skuText.ts';
export { prepareLangDir, type OcrLanguage } from './tessdata.ts';
