export { OnecExchange, type Answer, type ExchangeSettings } from './exchange.ts';
export type { AfterApply } from './jobs.ts';
export type { OnecSession } from './sessions.ts';
export { readPicture, PICTURE_PATH } from './pictures.ts';
