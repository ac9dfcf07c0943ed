/** Public surface of storage: database factory, schema types, repositories, search, import, demo data, state backend. */
export * from './db/index.ts';
export * from './state/index.ts';
