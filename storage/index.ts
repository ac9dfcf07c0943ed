/** Public surface of storage: database factory, schema types, repositories, search, import, demo data, state backend. */
export * from './db/index.ts';
export * from './repos/index.ts';
export * from './search/index.ts';
export * from './import/index.ts';
export * from './seed/index.ts';
export * from './state/index.ts';
export { TtlCache } from './ttlCache.ts';
export * from './orders/index.ts';
