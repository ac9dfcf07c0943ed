/** Payments: one port over Stripe, CloudPayments and Kaspi (ApiPay.kz or the manual path), and their webhooks. */
export { paymentsConfig, providersFor, type PaymentsConfig } from './config.ts';
export { paymentRoutes } from './routes.ts';
export { PaymentRefused, PaymentService, type CheckAnswer } from './service.ts';
export { PaymentProviderError, PROVIDERS, type PaymentStart, type ProviderName } from './types.ts';
