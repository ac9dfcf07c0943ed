import * as v from 'valibot';
import { ConfigError, optionalText } from '../config/index.ts';

/**
 * The 1C exchange's settings from the environment:
 * - `ONEC_EXCHANGE_USER` / `ONEC_EXCHANGE_PASSWORD`: the HTTP Basic login 1C is given (both or none;
 *   without them the exchange answers that it is not configured);
 * - `ONEC_PRICE_TYPE`: the price type each city sells at, by name or Ид — one for all
 *   (`Розничная`) or per city slug (`almaty=Розничная Алматы; astana=Розничная Астана; *=Розничная`);
 *   unset, the first price type a package declares;
 * - `ONEC_FILE_LIMIT_MB` (16): the largest part of a file one request carries (1C splits the rest);
 * - `ONEC_SESSION_MAX_MB` (2048): all files of one exchange together, archives unpacked;
 * - `ONEC_STEP_SECONDS` (20): how long one `import` request works before answering `progress`;
 * - `ONEC_IDLE_MINUTES` (3): a quiet exchange is taken over by a new one after this long;
 * - `ONEC_ZIP` (on): whether 1C may send one zip instead of separate files;
 * - `ONEC_ORDER_ENCODING` (utf-8): the encoding of the orders document (`windows-1251` for an old
 *   1C that wants it; letters it lacks are written as character references);
 * - `ONEC_ORDER_CURRENCY`: what the orders' `Валюта` says (1C matches it against its currencies'
 *   codes or names, e.g. `KZT`, `398`, `тнг`); unset, the order's ISO code (`KZT`);
 * - `ONEC_SCHEMA_VERSION` (2.08): the CommerceML version of the orders document when 1C names none.
 */
export type OnecConfig = {
  user?: string;
  password?: string;
  priceTypes: { all?: string; byCity: Record<string, string> };
  fileLimit: number;
  sessionBytes: number;
  stepMs: number;
  idleMs: number;
  zip: boolean;
  orders: { encoding: 'utf-8' | 'windows-1251'; currency?: string; schemaVersion: string };
};

const whole = (name: string, fallback: number, min: number, max: number) =>
  v.pipe(
    v.optional(v.string(), String(fallback)),
    v.transform((s) => (s.trim() === '' ? fallback : Number(s))),
    v.number(`${name} must be a number`),
    v.integer(`${name} must be a whole number`),
    v.minValue(min, `${name} must be at least ${min}`),
    v.maxValue(max, `${name} must be at most ${max}`),
  );

const Schema = v.object({
  ONEC_EXCHANGE_USER: optionalText,
  ONEC_EXCHANGE_PASSWORD: optionalText,
  ONEC_PRICE_TYPE: optionalText,
  ONEC_FILE_LIMIT_MB: whole('ONEC_FILE_LIMIT_MB', 16, 1, 1024),
  ONEC_SESSION_MAX_MB: whole('ONEC_SESSION_MAX_MB', 2048, 16, 65536),
  ONEC_STEP_SECONDS: whole('ONEC_STEP_SECONDS', 20, 1, 600),
  ONEC_IDLE_MINUTES: whole('ONEC_IDLE_MINUTES', 3, 1, 1440),
  ONEC_ZIP: v.optional(v.picklist(['on', 'off'], 'ONEC_ZIP must be on or off'), 'on'),
  ONEC_ORDER_ENCODING: v.optional(
    v.picklist(['utf-8', 'windows-1251'], 'ONEC_ORDER_ENCODING must be utf-8 or windows-1251'),
    'utf-8',
  ),
  ONEC_ORDER_CURRENCY: v.optional(
    v.pipe(
      v.string(),
      v.trim(),
      v.regex(/^[\p{L}\d]{0,10}$/u, 'ONEC_ORDER_CURRENCY is a currency code or short name (KZT, 398, тнг)'),
    ),
  ),
  ONEC_SCHEMA_VERSION: v.optional(
    v.pipe(v.string(), v.trim(), v.regex(/^2\.(0[4-9]|10)$/, 'ONEC_SCHEMA_VERSION is 2.04 … 2.10')),
    '2.08',
  ),
});

export function onecConfig(env: Record<string, string | undefined>): OnecConfig {
  const parsed = v.safeParse(Schema, env);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    throw new ConfigError(issue.path?.map((p) => String(p.key)).join('.') ?? 'ONEC', issue.message);
  }
  const e = parsed.output;
  if (Boolean(e.ONEC_EXCHANGE_USER) !== Boolean(e.ONEC_EXCHANGE_PASSWORD))
    throw new ConfigError(
      e.ONEC_EXCHANGE_USER ? 'ONEC_EXCHANGE_PASSWORD' : 'ONEC_EXCHANGE_USER',
      'ONEC_EXCHANGE_USER and ONEC_EXCHANGE_PASSWORD go together',
    );
  return {
    ...(e.ONEC_EXCHANGE_USER ? { user: e.ONEC_EXCHANGE_USER, password: e.ONEC_EXCHANGE_PASSWORD! } : {}),
    priceTypes: priceTypes(e.ONEC_PRICE_TYPE),
    fileLimit: e.ONEC_FILE_LIMIT_MB * 1024 * 1024,
    sessionBytes: e.ONEC_SESSION_MAX_MB * 1024 * 1024,
    stepMs: e.ONEC_STEP_SECONDS * 1000,
    idleMs: e.ONEC_IDLE_MINUTES * 60_000,
    zip: e.ONEC_ZIP === 'on',
    orders: {
      encoding: e.ONEC_ORDER_ENCODING,
      schemaVersion: e.ONEC_SCHEMA_VERSION,
      ...(e.ONEC_ORDER_CURRENCY ? { currency: e.ONEC_ORDER_CURRENCY } : {}),
    },
  };
}

function priceTypes(raw: string | undefined): OnecConfig['priceTypes'] {
  if (!raw) return { byCity: {} };
  if (!raw.includes('=')) return { all: raw, byCity: {} };
  const out: OnecConfig['priceTypes'] = { byCity: {} };
  for (const part of raw.split(';')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    const city = part.slice(0, at).trim();
    const type = part.slice(at + 1).trim();
    if (at < 1 || type === '')
      throw new ConfigError('ONEC_PRICE_TYPE', `"${part.trim()}" is not city=price type (e.g. almaty=Розничная)`);
    if (city === '*') out.all = type;
    else out.byCity[city] = type;
  }
  return out;
}
