import type { WhatsAppNumber, WhatsAppNumberSource } from '../numbers.ts';

/** A fixed list of business numbers, for tests that do not read bot configs. */
export const staticNumbers = (numbers: WhatsAppNumber[]): WhatsAppNumberSource => ({ list: async () => numbers });
