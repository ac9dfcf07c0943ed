import type { OrderDetail } from '../../storage/orders/index.ts';
import { PAY_ON_RECEIPT_METHODS } from '../../storage/orders/index.ts';
import type { PaymentService, ProviderName } from '../payments/index.ts';
import type { Logger } from '../runtime/ports.ts';

/** how the shopper pays a placed order, as `order.placed` tells it */
export type PlacedPayment =
  | { kind: 'link'; url: string }
  | { kind: 'kaspi_invoice'; phone?: string }
  | { kind: 'kaspi_manual' }
  | { kind: 'on_receipt' }
  | { kind: 'failed' }
  | { kind: 'test' };

const PROVIDER_METHODS: readonly string[] = ['stripe', 'cloudpayments', 'kaspi'] satisfies ProviderName[];

/**
 * Starts paying for a just-placed order (or one placed by the same message before a crash):
 * Stripe and CloudPayments give a link (Stripe reuses the order's open session), Kaspi an invoice
 * sent to the shopper's phone by the gateway or the manual path (a manager sends it; an invoice
 * already pending is not sent twice), payment on receipt nothing to do. A provider that refuses or
 * cannot be reached leaves the order standing: the shopper is told it failed and a manager follows up.
 * A test order (staff's) asks no provider anything: the shopper is told no payment is taken.
 */
export async function startPayment(
  payments: Pick<PaymentService, 'start'>,
  order: OrderDetail,
  log: Logger,
): Promise<PlacedPayment> {
  if (order.test) return { kind: 'test' };
  const method = order.paymentMethod;
  if (PAY_ON_RECEIPT_METHODS.includes(method)) return { kind: 'on_receipt' };
  if (!PROVIDER_METHODS.includes(method)) {
    log.warn({ orderId: order.id, method }, 'order placed with a payment method no provider takes');
    return { kind: 'failed' };
  }
  const phone = order.customer.phone ? { phone: order.customer.phone } : {};
  if (method === 'kaspi' && order.payments.some((p) => p.provider === 'kaspi' && p.status === 'pending'))
    return { kind: 'kaspi_invoice', ...phone };
  try {
    const started = await payments.start(order.id, method as ProviderName);
    if (started.url) return { kind: 'link', url: started.url };
    if (started.instructions === 'kaspi_invoice_sent') return { kind: 'kaspi_invoice', ...phone };
    if (started.instructions === 'manual_kaspi_invoice') return { kind: 'kaspi_manual' };
    log.warn({ orderId: order.id, method }, 'payment started without a link or instructions');
    return { kind: 'failed' };
  } catch (error) {
    log.warn(
      { orderId: order.id, number: order.number, method, err: error instanceof Error ? error.message : String(error) },
      'payment could not be started; the order stands for a manager to follow up',
    );
    return { kind: 'failed' };
  }
}
