import { Index, type JSX } from 'solid-js';
import type { CityCheckout, PickupStore } from '../api/types.ts';
import { t } from '../i18n.ts';

/**
 * A city's checkout settings in the city form: its pickup stores (id, name, address) and whether
 * it takes payment on delivery or at pickup. The API checks them and says what is wrong.
 */
export function CheckoutSettings(props: { value: CityCheckout; onChange: (next: CityCheckout) => void }): JSX.Element {
  const set = (patch: Partial<CityCheckout>) => props.onChange({ ...props.value, ...patch });
  const setStore = (index: number, patch: Partial<PickupStore>) =>
    set({ stores: props.value.stores.map((s, i) => (i === index ? { ...s, ...patch } : s)) });
  return (
    <fieldset class="stack" style={{ 'min-width': '0', margin: '0' }} data-testid="city-checkout">
      <legend>{t('cities.checkout')}</legend>
      <div>
        <b>{t('cities.stores')}</b>
        <div class="muted small">{t('cities.storesHint')}</div>
      </div>
      {/* by position, not by object: a row keeps its inputs (and focus) while it is typed in */}
      <Index each={props.value.stores}>
        {(store, i) => (
          <div class="row" style={{ 'flex-wrap': 'nowrap' }} data-testid="city-store">
            <input
              required
              pattern="[a-z0-9_\-]{1,32}"
              name="store-id"
              placeholder={t('cities.storeId')}
              style={{ flex: '0 0 7em', 'min-width': '0' }}
              value={store().id}
              onInput={(e) => setStore(i, { id: e.currentTarget.value })}
            />
            <input
              required
              name="store-name"
              style={{ flex: '1 1 0', 'min-width': '0' }}
              placeholder={t('cities.storeName')}
              value={store().name}
              onInput={(e) => setStore(i, { name: e.currentTarget.value })}
            />
            <input
              name="store-address"
              style={{ flex: '1.5 1 0', 'min-width': '0' }}
              placeholder={t('cities.storeAddress')}
              value={store().address ?? ''}
              onInput={(e) => setStore(i, { address: e.currentTarget.value })}
            />
            <button
              type="button"
              class="btn sm"
              style={{ flex: 'none' }}
              onClick={() => set({ stores: props.value.stores.filter((_, j) => j !== i) })}
            >
              {t('cities.removeStore')}
            </button>
          </div>
        )}
      </Index>
      <div>
        <button
          type="button"
          class="btn sm"
          data-testid="city-store-add"
          onClick={() => set({ stores: [...props.value.stores, { id: '', name: '', address: '' }] })}
        >
          {t('cities.addStore')}
        </button>
      </div>
      <label class="check">
        <input
          type="checkbox"
          data-testid="city-pay-on-delivery"
          checked={props.value.payOnDelivery}
          onChange={(e) => set({ payOnDelivery: e.currentTarget.checked })}
        />{' '}
        {t('cities.payOnDelivery')}
      </label>
      <label class="check">
        <input
          type="checkbox"
          data-testid="city-pay-at-pickup"
          checked={props.value.payAtPickup}
          onChange={(e) => set({ payAtPickup: e.currentTarget.checked })}
        />{' '}
        {t('cities.payAtPickup')}
      </label>
    </fieldset>
  );
}

/** what the API is sent: empty addresses left out */
export const checkoutBody = (c: CityCheckout): CityCheckout => ({
  ...c,
  stores: c.stores.map(({ id, name, address }) => ({
    id: id.trim(),
    name: name.trim(),
    ...(address?.trim() ? { address: address.trim() } : {}),
  })),
});
