import * as v from 'valibot';
import { ConfigError, optionalText } from '../config/index.ts';
import { PROVIDERS, type ProviderName } from './types.ts';

/**
 * The payment providers' settings from the environment:
 * - Stripe: `STRIPE_SECRET_KEY` with `STRIPE_WEBHOOK_SECRET` (the endpoint's signing secret),
 *   `STRIPE_API_BASE` (default https://api.stripe.com; tests point it at a fake), `STRIPE_SESSION_HOURS` (23);
 * - CloudPayments: `CLOUDPAYMENTS_PUBLIC_ID` with `CLOUDPAYMENTS_API_SECRET`, `CLOUDPAYMENTS_API_BASE`
 *   (default https://api.cloudpayments.kz, the Kazakh site; https://api.cloudpayments.ru for a Russian one);
 * - Kaspi through ApiPay.kz: `KASPI_APIPAY_API_KEY` with `KASPI_APIPAY_WEBHOOK_SECRET`,
 *   `KASPI_APIPAY_API_BASE` (default https://api.apipay.kz/api/v1). Without them Kaspi is the
 *   manual path: a manager sends the invoice from Kaspi Business and marks the order paid;
 * - `PAYMENT_PROVIDERS`: which providers each city offers, `almaty=kaspi,stripe; *=kaspi,cloudpayments`
 *   or one list for all; unset, every configured provider plus Kaspi everywhere.
 * A key without its webhook secret is refused: payments could be taken but never confirmed.
 */
export type PaymentsConfig = {
  stripe?: { secretKey: string; webhookSecret: string; apiBase: string; sessionHours: number };
  cloudpayments?: { publicId: string; apiSecret: string; apiBase: string };
  kaspiGateway?: { apiKey: string; webhookSecret: string; apiBase: string };
  providers: { all: ProviderName[]; byCity: Record<string, ProviderName[]> };
  /** where a provider's page sends the shopper back (PUBLIC_BASE_URL + /payments/return) */
  returnUrl?: string;
};

const Schema = v.object({
  STRIPE_SECRET_KEY: optionalText,
  STRIPE_WEBHOOK_SECRET: optionalText,
  STRIPE_API_BASE: optionalText,
  STRIPE_SESSION_HOURS: v.pipe(
    v.optional(v.string(), '23'),
    v.transform((s) => (s.trim() === '' ? 23 : Number(s))),
    v.number('STRIPE_SESSION_HOURS must be a number'),
    v.minValue(0.5, 'STRIPE_SESSION_HOURS must be at least 0.5 (Stripe: 30 minutes)'),
    v.maxValue(24, 'STRIPE_SESSION_HOURS must be at most 24 (Stripe: 24 hours)'),
  ),
  CLOUDPAYMENTS_PUBLIC_ID: optionalText,
  CLOUDPAYMENTS_API_SECRET: optionalText,
  CLOUDPAYMENTS_API_BASE: optionalText,
  KASPI_APIPAY_API_KEY: optionalText,
  KASPI_APIPAY_WEBHOOK_SECRET: optionalText,
  KASPI_APIPAY_API_BASE: optionalText,
  PAYMENT_PROVIDERS: optionalText,
  PUBLIC_BASE_URL: optionalText,
});

const pair = (a: [string, string | undefined], b: [string, string | undefined], why: string) => {
  if (Boolean(a[1]) !== Boolean(b[1]))
    throw new ConfigError(a[1] ? b[0] : a[0], `${a[0]} and ${b[0]} go together: ${why}`);
};
const baseUrl = (name: string, value: string | undefined, fallback: string) => {
  const url = value ?? fallback;
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new ConfigError(name, `must be an http(s) URL (got "${url}")`);
  return url.replace(/\/$/, '');
};

export function paymentsConfig(env: Record<string, string | undefined>): PaymentsConfig {
  const parsed = v.safeParse(Schema, env);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new ConfigError(issue.path?.map((p) => String(p.key)).join('.') ?? 'PAYMENTS', issue.message);
  }
  const e = parsed.output;
  pair(
    ['STRIPE_SECRET_KEY', e.STRIPE_SECRET_KEY],
    ['STRIPE_WEBHOOK_SECRET', e.STRIPE_WEBHOOK_SECRET],
    'payments are confirmed only by signed webhooks',
  );
  pair(
    ['CLOUDPAYMENTS_PUBLIC_ID', e.CLOUDPAYMENTS_PUBLIC_ID],
    ['CLOUDPAYMENTS_API_SECRET', e.CLOUDPAYMENTS_API_SECRET],
    'the secret signs links and notifications',
  );
  pair(
    ['KASPI_APIPAY_API_KEY', e.KASPI_APIPAY_API_KEY],
    ['KASPI_APIPAY_WEBHOOK_SECRET', e.KASPI_APIPAY_WEBHOOK_SECRET],
    'payments are confirmed only by signed webhooks',
  );
  const returnUrl = e.PUBLIC_BASE_URL ? `${e.PUBLIC_BASE_URL.replace(/\/$/, '')}/payments/return` : undefined;
  if ((e.STRIPE_SECRET_KEY || e.CLOUDPAYMENTS_PUBLIC_ID) && !returnUrl)
    throw new ConfigError(
      'PUBLIC_BASE_URL',
      'is required with Stripe or CloudPayments: their payment page sends the shopper back to it',
    );
  const config: PaymentsConfig = {
    ...(e.STRIPE_SECRET_KEY
      ? {
          stripe: {
            secretKey: e.STRIPE_SECRET_KEY,
            webhookSecret: e.STRIPE_WEBHOOK_SECRET!,
            apiBase: baseUrl('STRIPE_API_BASE', e.STRIPE_API_BASE, 'https://api.stripe.com'),
            sessionHours: e.STRIPE_SESSION_HOURS,
          },
        }
      : {}),
    ...(e.CLOUDPAYMENTS_PUBLIC_ID
      ? {
          cloudpayments: {
            publicId: e.CLOUDPAYMENTS_PUBLIC_ID,
            apiSecret: e.CLOUDPAYMENTS_API_SECRET!,
            apiBase: baseUrl('CLOUDPAYMENTS_API_BASE', e.CLOUDPAYMENTS_API_BASE, 'https://api.cloudpayments.kz'),
          },
        }
      : {}),
    ...(e.KASPI_APIPAY_API_KEY
      ? {
          kaspiGateway: {
            apiKey: e.KASPI_APIPAY_API_KEY,
            webhookSecret: e.KASPI_APIPAY_WEBHOOK_SECRET!,
            apiBase: baseUrl('KASPI_APIPAY_API_BASE', e.KASPI_APIPAY_API_BASE, 'https://api.apipay.kz/api/v1'),
          },
        }
      : {}),
    providers: { all: [], byCity: {} },
    ...(returnUrl ? { returnUrl } : {}),
  };
  const configured = (p: ProviderName) =>
    p === 'kaspi' || (p === 'stripe' ? Boolean(config.stripe) : Boolean(config.cloudpayments));
  config.providers = providerLists(e.PAYMENT_PROVIDERS, configured);
  return config;
}

function providerList(list: string, configured: (p: ProviderName) => boolean): ProviderName[] {
  const names = list
    .split(',')
    .map((s) => s.trim().toLowerCase())
    .filter(Boolean);
  for (const name of names) {
    if (!(PROVIDERS as readonly string[]).includes(name))
      throw new ConfigError('PAYMENT_PROVIDERS', `"${name}" is not a provider (${PROVIDERS.join(', ')})`);
    if (!configured(name as ProviderName))
      throw new ConfigError('PAYMENT_PROVIDERS', `${name} is offered but not configured (set its keys)`);
  }
  return [...new Set(names as ProviderName[])];
}

function providerLists(raw: string | undefined, configured: (p: ProviderName) => boolean): PaymentsConfig['providers'] {
  if (!raw) return { all: PROVIDERS.filter(configured), byCity: {} };
  if (!raw.includes('=')) return { all: providerList(raw, configured), byCity: {} };
  const out: PaymentsConfig['providers'] = { all: [], byCity: {} };
  for (const part of raw.split(';')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    const city = part.slice(0, at).trim().toLowerCase();
    if (at < 1)
      throw new ConfigError('PAYMENT_PROVIDERS', `"${part.trim()}" is not city=providers (e.g. almaty=kaspi,stripe)`);
    const list = providerList(part.slice(at + 1), configured);
    if (city === '*') out.all = list;
    else out.byCity[city] = list;
  }
  return out;
}

/** The providers a city's shoppers are offered, in the configured order. */
export const providersFor = (config: PaymentsConfig, citySlug: string): ProviderName[] =>
  config.providers.byCity[citySlug.toLowerCase()] ?? config.providers.all;
