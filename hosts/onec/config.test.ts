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
    });
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
