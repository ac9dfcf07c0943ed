import { describe, expect, it } from 'vitest';
import { paymentsConfig, providersFor } from './config.ts';

const stripe = {
  STRIPE_SECRET_KEY: 'sk_test_1',
  STRIPE_WEBHOOK_SECRET: 'whsec_1',
  PUBLIC_BASE_URL: 'https://bot.example.kz/',
};
const cp = {
  CLOUDPAYMENTS_PUBLIC_ID: 'pk_1',
  CLOUDPAYMENTS_API_SECRET: 's1',
  PUBLIC_BASE_URL: 'https://bot.example.kz',
};

describe('payments config', () => {
  it('with nothing set offers Kaspi on the manual path only', () => {
    const config = paymentsConfig({});
    expect(config.stripe).toBeUndefined();
    expect(config.kaspiGateway).toBeUndefined();
    expect(providersFor(config, 'almaty')).toEqual(['kaspi']);
  });
  it('reads every provider with defaults for the API addresses', () => {
    const config = paymentsConfig({ ...stripe, ...cp, KASPI_APIPAY_API_KEY: 'k', KASPI_APIPAY_WEBHOOK_SECRET: 'w' });
    expect(config.stripe).toMatchObject({ apiBase: 'https://api.stripe.com', sessionHours: 23 });
    expect(config.cloudpayments?.apiBase).toBe('https://api.cloudpayments.kz');
    expect(config.kaspiGateway?.apiBase).toBe('https://api.apipay.kz/api/v1');
    expect(config.returnUrl).toBe('https://bot.example.kz/payments/return');
    expect(providersFor(config, 'astana')).toEqual(['stripe', 'cloudpayments', 'kaspi']);
  });
  it('per-city provider lists', () => {
    const config = paymentsConfig({ ...stripe, ...cp, PAYMENT_PROVIDERS: 'almaty=kaspi,stripe; *=cloudpayments' });
    expect(providersFor(config, 'Almaty')).toEqual(['kaspi', 'stripe']);
    expect(providersFor(config, 'astana')).toEqual(['cloudpayments']);
  });
  it('names the variable that is wrong', () => {
    expect(() => paymentsConfig({ STRIPE_SECRET_KEY: 'sk' })).toThrow(/STRIPE_WEBHOOK_SECRET: .*go together/);
    expect(() => paymentsConfig({ CLOUDPAYMENTS_API_SECRET: 's' })).toThrow(/CLOUDPAYMENTS_PUBLIC_ID/);
    expect(() => paymentsConfig({ KASPI_APIPAY_API_KEY: 'k' })).toThrow(/KASPI_APIPAY_WEBHOOK_SECRET/);
    expect(() => paymentsConfig({ STRIPE_SECRET_KEY: 'sk', STRIPE_WEBHOOK_SECRET: 'w' })).toThrow(/PUBLIC_BASE_URL/);
    expect(() => paymentsConfig({ ...stripe, STRIPE_API_BASE: 'ftp://x' })).toThrow(/STRIPE_API_BASE/);
    expect(() => paymentsConfig({ ...stripe, STRIPE_SESSION_HOURS: '48' })).toThrow(/STRIPE_SESSION_HOURS/);
    expect(() => paymentsConfig({ PAYMENT_PROVIDERS: 'paypal' })).toThrow(/"paypal" is not a provider/);
    expect(() => paymentsConfig({ PAYMENT_PROVIDERS: 'stripe' })).toThrow(/stripe is offered but not configured/);
    expect(() => paymentsConfig({ PAYMENT_PROVIDERS: '=kaspi' })).toThrow(/not city=providers/);
  });
});
