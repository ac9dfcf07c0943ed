/**
 * Amounts cross our boundary in three shapes: the database's decimal strings ("15000.00"),
 * providers' decimal numbers or strings (CloudPayments `Amount=15000.00`, ApiPay `"15000.00"`)
 * and Stripe's integer minor units (tiyn for KZT). Every comparison is made in integer minor
 * units parsed from the decimal text, never through floating-point arithmetic.
 */

/** "15000.5" → 1500050; undefined for anything that is not a non-negative amount with at most 2 decimals */
export function toMinorUnits(amount: string | number): number | undefined {
  const text = typeof amount === 'number' ? (Number.isFinite(amount) ? amount.toFixed(2) : '') : amount.trim();
  const match = /^(\d{1,13})(?:[.,](\d{0,2})0*)?$/.exec(text);
  if (!match) return undefined;
  return Number(match[1]) * 100 + Number((match[2] ?? '').padEnd(2, '0'));
}

/** 1500050 → "15000.50" */
export const fromMinorUnits = (minor: number): string =>
  `${Math.trunc(minor / 100)}.${String(Math.abs(minor % 100)).padStart(2, '0')}`;
