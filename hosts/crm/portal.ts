import type { Bitrix24 } from './client.ts';

/** The portal cannot take our deals: amounts are in tenge and it has no KZT currency. */
export class Bitrix24PortalError extends Error {
  override readonly name = 'Bitrix24PortalError';
}

/**
 * Deals carry their amount in KZT (CURRENCY_ID); a portal without that currency would store
 * them in its base currency or refuse them, so the platform refuses to start instead.
 */
export async function requireKztCurrency(bitrix: Bitrix24): Promise<void> {
  const currencies = await bitrix.call<Array<{ CURRENCY?: string }>>('crm.currency.list', {});
  if (!Array.isArray(currencies) || !currencies.some((c) => c.CURRENCY === 'KZT'))
    throw new Bitrix24PortalError(
      `BITRIX24_WEBHOOK_URL: the Bitrix24 portal has no KZT currency (it has ${
        Array.isArray(currencies) ? currencies.map((c) => c.CURRENCY).join(', ') || 'none' : 'none'
      }); add «Казахстанский тенге» (KZT) in CRM → Settings → Currencies, then start again`,
    );
}
