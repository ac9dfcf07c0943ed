import * as v from 'valibot';
import { PaymentProviderError, PaymentRefused, PROVIDERS } from '../../../payments/index.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import type { Api } from '../../http/context.ts';
import { obj, s } from '../../http/docs.ts';
import { ApiError, conflict, notFound, unavailable, unprocessable } from '../../http/errors.ts';
import { param, route, type Route } from '../../http/route.ts';

const Body = v.strictObject({
  provider: v.picklist(PROVIDERS, `provider is one of ${PROVIDERS.join(', ')}`),
});

/**
 * A payment started for an order: a Stripe Checkout or CloudPayments link to send the shopper, a
 * Kaspi invoice sent to their phone through the gateway, or — without one — the manual path (the
 * manager invoices from Kaspi Business and marks the order paid). The checkout flow uses the same
 * service; asked again, an open Stripe session is returned rather than a new one.
 */
export function orderPaymentLinkRoutes(api: Api): Route[] {
  return [
    route({
      method: 'post',
      path: '/orders/:id/payment-link',
      roles: ROLE_SETS.managers,
      tag: 'orders',
      summary: "Start a payment with one of the city's providers: a link, or the Kaspi invoice / manual instructions",
      body: Body,
      response: obj({
        provider: s(undefined, 'stripe | cloudpayments | kaspi'),
        reference: s(undefined, "the provider's id of the session, link or invoice"),
        url: s('uri', 'the page the shopper pays on'),
        instructions: s(undefined, 'kaspi_invoice_sent | manual_kaspi_invoice'),
        expiresAt: s('date-time'),
      }),
      errors: {
        404: 'no such order',
        409: 'the order is not waiting for payment',
        422: 'the provider is not offered in the order’s city or refused the order, or it is a test order (test_order)',
        503: 'payments are not available or the provider cannot be reached',
      },
      handler: async (c, { body }) => {
        const payments = api.deps.payments;
        if (!payments) throw unavailable('payments are not configured in this process');
        try {
          return c.json(await payments.start(param(c, 'id'), body.provider));
        } catch (error) {
          if (error instanceof PaymentRefused) {
            if (error.reason === 'no_order') throw notFound('order');
            if (error.reason === 'not_payable') throw conflict(error.message);
            throw unprocessable(error.reason, error.message);
          }
          if (error instanceof PaymentProviderError)
            throw error.retryable
              ? new ApiError(503, 'provider_unavailable', error.message)
              : unprocessable('provider_refused', error.message);
          throw error;
        }
      },
    }),
  ];
}
