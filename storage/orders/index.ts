/** Orders: placing them, their status machine, payments and the shopper's notifications. */
export * from './create.ts';
export * from './errors.ts';
export * from './payments.ts';
export * from './queries.ts';
export * from './sales.ts';
export * from './status.ts';
export * from './transitions.ts';
export * from './types.ts';
