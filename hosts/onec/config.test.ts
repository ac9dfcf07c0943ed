import { describe, expect, it } from 'vitest';
import { loadConfig } from '../platform/config.ts';

describe('the 1C exchange settings', () => {
  it('has safe defaults and no login until one is set', () => {
    const { onec } = loadConfig({});
    expect(onec).toEqual({
      priceTypes: { byCity: {} },
      fileLimit: 16 * 1024 * 1024,
      sessionBytes: 2048 * 1024 * 1024,
      stepMs: 20_000,
      idleMs: 180_000,
      zip: true,
      orders: { encoding: 'utf-8', schemaVersion: '2.08' },
    });
  });

  it('reads the orders document settings and refuses what 1C could not read', () => {
    expect(
      loadConfig({ ONEC_ORDER_ENCODING: 'windows-1251', ONEC_ORDER_CURRENCY: 'тнг', ONEC_SCHEMA_VERSION: '2.05' }).onec
        .orders,
    ).toEqual({ encoding: 'windows-1251', currency: 'тнг', schemaVersion: '2.05' });
    expect(() => loadConfig({ ONEC_ORDER_ENCODING: 'koi8-r' })).toThrow(
      'ONEC_ORDER_ENCODING must be utf-8 or windows-1251',
    );
    expect(() => loadConfig({ ONEC_SCHEMA_VERSION: '3.1' })).toThrow('ONEC_SCHEMA_VERSION is 2.04 … 2.10');
  });

  it('reads one price type for all cities, or one per city with a default', () => {
    expect(loadConfig({ ONEC_PRICE_TYPE: 'Розничная' }).onec.priceTypes).toEqual({ all: 'Розничная', byCity: {} });
    expect(
      loadConfig({ ONEC_PRICE_TYPE: 'almaty=Розничная Алматы; astana = Розничная Астана; *=Розничная' }).onec
        .priceTypes,
    ).toEqual({ all: 'Розничная', byCity: { almaty: 'Розничная Алматы', astana: 'Розничная Астана' } });
  });

  it('names the variable that is wrong', () => {
    expect(() => loadConfig({ ONEC_EXCHANGE_USER: '1c' })).toThrow(
      'ONEC_EXCHANGE_PASSWORD: ONEC_EXCHANGE_USER and ONEC_EXCHANGE_PASSWORD go together',
    );
    expect(() => loadConfig({ ONEC_PRICE_TYPE: 'almaty=' })).toThrow(
      /ONEC_PRICE_TYPE: "almaty=" is not city=price type/,
    );
    expect(() => loadConfig({ ONEC_STEP_SECONDS: '0' })).toThrow(
      'ONEC_STEP_SECONDS: ONEC_STEP_SECONDS must be at least 1',
    );
    expect(() => loadConfig({ ONEC_ZIP: 'yes' })).toThrow('ONEC_ZIP: ONEC_ZIP must be on or off');
  });
});
