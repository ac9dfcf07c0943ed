import { For, Show, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { City, CityCheckout } from '../api/types.ts';
import { CheckoutSettings, checkoutBody } from '../components/CheckoutSettings.tsx';
import { ErrorBox, Modal } from '../components/ui.tsx';
import { toast } from '../components/Toast.tsx';
import { formatDateTime, t } from '../i18n.ts';
import { useCities } from '../lib/cities.ts';
import { ROLE_SETS } from '../nav.ts';
import { hasRole } from '../session.ts';

type Draft = {
  name: string;
  slug: string;
  timezone: string;
  currency: string;
  language: string;
  isActive: boolean;
  managerHours: string;
  checkout: CityCheckout;
};
const blank = (): Draft => ({
  name: '',
  slug: '',
  timezone: 'Asia/Almaty',
  currency: 'KZT',
  language: 'ru',
  isActive: true,
  managerHours: '',
  checkout: { stores: [], payOnDelivery: false, payAtPickup: false },
});

export default function CitiesPage(): JSX.Element {
  const [cities, { refetch }] = useCities();
  const [editing, setEditing] = createSignal<City | 'new'>();
  const [draft, setDraft] = createStore<Draft>(blank());
  const [error, setError] = createSignal<unknown>();
  const canEdit = () => hasRole(ROLE_SETS.admins);

  const open = (c: City | 'new') => {
    setError(undefined);
    setDraft(
      c === 'new'
        ? blank()
        : {
            name: c.name,
            slug: c.slug,
            timezone: c.timezone,
            currency: c.currency,
            language: c.language,
            isActive: c.isActive,
            managerHours: c.managerHours ?? '',
            checkout: structuredClone(c.checkout),
          },
    );
    setEditing(c);
  };
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const target = editing();
    try {
      // empty hours: managers always answer
      const body = {
        ...draft,
        managerHours: draft.managerHours.trim() || null,
        checkout: checkoutBody(draft.checkout),
      };
      if (target === 'new') await api.post('/cities', body);
      else if (target) await api.put(`/cities/${target.id}`, body);
      setEditing(undefined);
      toast(t('common.saved'));
      void refetch();
    } catch (err) {
      setError(err);
    }
  };
  return (
    <>
      <div class="page-head">
        <h1>{t('nav.cities')}</h1>
        <div class="spacer" />
        <Show when={canEdit()}>
          <button class="btn primary" data-testid="city-new" onClick={() => open('new')}>
            + {t('cities.new')}
          </button>
        </Show>
      </div>
      <ErrorBox error={cities.error} />
      <div class="card flush table-wrap">
        <table class="table" data-testid="cities-table">
          <thead>
            <tr>
              <th>{t('cities.name')}</th>
              <th>slug</th>
              <th class="hide-sm">{t('cities.timezone')}</th>
              <th>{t('cities.currency')}</th>
              <th>{t('cities.language')}</th>
              <th class="hide-sm">{t('cities.checkout')}</th>
              <th>{t('cities.status')}</th>
              <th class="hide-sm">{t('common.updated')}</th>
              <Show when={canEdit()}>
                <th />
              </Show>
            </tr>
          </thead>
          <tbody>
            <For
              each={cities() ?? []}
              fallback={
                <tr>
                  <td colspan="9" class="empty">
                    {cities.loading ? t('common.loading') : t('common.none')}
                  </td>
                </tr>
              }
            >
              {(c) => (
                <tr>
                  <td>
                    <b>{c.name}</b>
                  </td>
                  <td class="mono">{c.slug}</td>
                  <td class="hide-sm">{c.timezone}</td>
                  <td>{c.currency}</td>
                  <td>{c.language}</td>
                  <td class="hide-sm small">
                    {t('cities.storesCount', { n: String(c.checkout.stores.length) })}
                    {c.checkout.payOnDelivery ? ' · 🚚' : ''}
                    {c.checkout.payAtPickup ? ' · 🏬' : ''}
                  </td>
                  <td>
                    {c.isActive ? (
                      <span class="badge ok">{t('cities.active')}</span>
                    ) : (
                      <span class="badge">{t('cities.inactive')}</span>
                    )}
                  </td>
                  <td class="hide-sm muted">{formatDateTime(c.updatedAt)}</td>
                  <Show when={canEdit()}>
                    <td class="right">
                      <button class="btn sm" onClick={() => open(c)}>
                        {t('common.edit')}
                      </button>
                    </td>
                  </Show>
                </tr>
              )}
            </For>
          </tbody>
        </table>
      </div>
      <Show when={editing()}>
        <Modal
          title={editing() === 'new' ? t('cities.new') : t('cities.edit')}
          onClose={() => setEditing(undefined)}
          testid="city-form"
        >
          <form class="stack" onSubmit={save}>
            <div class="form-grid">
              <label class="field">
                {t('cities.name')}
                <input
                  required
                  name="name"
                  value={draft.name}
                  onInput={(e) => setDraft('name', e.currentTarget.value)}
                />
              </label>
              <label class="field">
                slug
                <input
                  required
                  name="slug"
                  pattern="[a-z0-9-]+"
                  value={draft.slug}
                  onInput={(e) => setDraft('slug', e.currentTarget.value)}
                />
              </label>
              <label class="field">
                {t('cities.timezone')}
                <input
                  required
                  name="timezone"
                  value={draft.timezone}
                  onInput={(e) => setDraft('timezone', e.currentTarget.value)}
                />
              </label>
              <label class="field">
                {t('cities.currency')}
                <input
                  required
                  name="currency"
                  value={draft.currency}
                  onInput={(e) => setDraft('currency', e.currentTarget.value)}
                />
              </label>
              <label class="field">
                {t('cities.language')}
                <select
                  name="language"
                  value={draft.language}
                  onChange={(e) => setDraft('language', e.currentTarget.value)}
                >
                  <option value="ru">Русский</option>
                  <option value="kk">Қазақша</option>
                  <option value="en">English</option>
                </select>
              </label>
            </div>
            <label class="field">
              {t('cities.managerHours')}
              <input
                name="managerHours"
                placeholder="mon-fri 09:00-20:00; sat 10:00-18:00"
                value={draft.managerHours}
                onInput={(e) => setDraft('managerHours', e.currentTarget.value)}
              />
              <span class="muted">{t('cities.managerHoursHint')}</span>
            </label>
            <CheckoutSettings value={draft.checkout} onChange={(next) => setDraft('checkout', next)} />
            <label class="check">
              <input
                type="checkbox"
                checked={draft.isActive}
                onChange={(e) => setDraft('isActive', e.currentTarget.checked)}
              />{' '}
              {t('cities.active')}
            </label>
            <ErrorBox error={error()} />
            <div class="row" style={{ 'justify-content': 'flex-end' }}>
              <button type="button" class="btn" onClick={() => setEditing(undefined)}>
                {t('common.cancel')}
              </button>
              <button type="submit" class="btn primary" data-testid="city-save">
                {t('common.save')}
              </button>
            </div>
          </form>
        </Modal>
      </Show>
    </>
  );
}
