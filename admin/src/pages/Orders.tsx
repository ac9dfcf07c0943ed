import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { Order, OrderAction, OrderDetail, OrderStatus, Paged } from '../api/types.ts';
import { toast } from '../components/Toast.tsx';
import { ErrorBox, Pager } from '../components/ui.tsx';
import { formatDateTime, formatMoney, t, type MessageKey } from '../i18n.ts';
import { useCities } from '../lib/cities.ts';

const LIMIT = 25;
const STATUSES: OrderStatus[] = [
  'new',
  'awaiting_payment',
  'paid',
  'confirmed',
  'shipped',
  'ready_for_pickup',
  'completed',
  'cancelled',
];
const BADGE: Record<OrderStatus, string> = {
  new: 'info',
  awaiting_payment: 'warn',
  paid: 'ok',
  confirmed: 'ok',
  shipped: 'info',
  ready_for_pickup: 'info',
  completed: 'ok',
  cancelled: 'bad',
};
const statusLabel = (s: OrderStatus) => t(`orders.status.${s}` as MessageKey);

/** Orders for managers: filters, the list, and one order with its lines, history, payments and next steps. */
export default function OrdersPage(): JSX.Element {
  const [cities] = useCities();
  const [f, setF] = createStore({ city: '', status: '', test: '', from: '', to: '', offset: 0 });
  const [list, { refetch: refetchList }] = createResource(
    () => ({ ...f }),
    (q) =>
      api.get<Paged<Order>>('/orders', {
        city: q.city || undefined,
        status: q.status || undefined,
        test: q.test || undefined,
        from: q.from ? new Date(q.from).toISOString() : undefined,
        to: q.to ? new Date(new Date(q.to).getTime() + 86_400_000).toISOString() : undefined,
        limit: LIMIT,
        offset: q.offset,
      }),
  );
  const [selectedId, setSelectedId] = createSignal<string>();
  const [detail, { mutate }] = createResource(selectedId, (id) =>
    api.get<{ order: OrderDetail }>(`/orders/${id}`).then((r) => r.order),
  );
  const [note, setNote] = createSignal('');
  const [reference, setReference] = createSignal('');
  const [busy, setBusy] = createSignal(false);
  const cityName = (id: string) => cities()?.find((c) => c.id === id)?.name ?? '';

  const act = async (order: OrderDetail, action: OrderAction) => {
    if (action === 'cancel' && !confirm(t('orders.confirmCancel', { number: order.number }))) return;
    setBusy(true);
    try {
      const text = note().trim();
      const res =
        action === 'mark_paid'
          ? await api.post<{ order: OrderDetail }>(`/orders/${order.id}/payments`, {
              ...(reference().trim() ? { reference: reference().trim() } : {}),
              ...(text ? { note: text } : {}),
            })
          : await api.post<{ order: OrderDetail }>(`/orders/${order.id}/status`, {
              action,
              ...(text ? { note: text } : {}),
            });
      mutate(res.order);
      setNote('');
      setReference('');
      toast(t('orders.changed', { number: res.order.number, status: statusLabel(res.order.status) }));
      void refetchList();
    } catch (error) {
      toast(error instanceof Error ? error.message : String(error), 'error');
    } finally {
      setBusy(false);
    }
  };

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.orders')}</h1>
      </div>
      <div class="card flush">
        <div class="row" style={{ padding: '12px' }}>
          <select
            value={f.city}
            onChange={(e) => setF({ city: e.currentTarget.value, offset: 0 })}
            aria-label={t('common.city')}
            data-testid="orders-city"
          >
            <option value="">{t('common.allCities')}</option>
            <For each={cities() ?? []}>{(c) => <option value={c.slug}>{c.name}</option>}</For>
          </select>
          <select
            value={f.status}
            onChange={(e) => setF({ status: e.currentTarget.value, offset: 0 })}
            aria-label={t('orders.status')}
            data-testid="orders-status"
          >
            <option value="">{t('orders.allStatuses')}</option>
            <For each={STATUSES}>{(s) => <option value={s}>{statusLabel(s)}</option>}</For>
          </select>
          <select
            value={f.test}
            onChange={(e) => setF({ test: e.currentTarget.value, offset: 0 })}
            aria-label={t('orders.testsOnly')}
            data-testid="orders-test"
          >
            <option value="">{t('orders.allOrigins')}</option>
            <option value="false">{t('orders.shoppersOnly')}</option>
            <option value="true">{t('orders.testsOnly')}</option>
          </select>
          <label class="row small muted">
            {t('audit.from')}
            <input type="date" value={f.from} onChange={(e) => setF({ from: e.currentTarget.value, offset: 0 })} />
          </label>
          <label class="row small muted">
            {t('audit.to')}
            <input type="date" value={f.to} onChange={(e) => setF({ to: e.currentTarget.value, offset: 0 })} />
          </label>
        </div>
      </div>
      <ErrorBox error={list.error} />
      <div class="grid split" style={{ 'margin-top': '16px' }}>
        <div class="card flush">
          <div class="table-wrap">
            <table class="table" data-testid="orders-table">
              <thead>
                <tr>
                  <th>{t('orders.number')}</th>
                  <th>{t('orders.customer')}</th>
                  <th>{t('orders.total')}</th>
                  <th>{t('orders.status')}</th>
                </tr>
              </thead>
              <tbody>
                <For
                  each={list.latest?.items ?? []}
                  fallback={
                    <tr>
                      <td colspan="4" class="empty">
                        {list.loading ? t('common.loading') : t('common.none')}
                      </td>
                    </tr>
                  }
                >
                  {(o) => (
                    <tr
                      class="clickable"
                      classList={{ selected: selectedId() === o.id }}
                      onClick={() => setSelectedId(o.id)}
                      data-testid="order-row"
                    >
                      <td class="nowrap">
                        <b>№ {o.number}</b>
                        <Show when={o.test}>
                          {' '}
                          <span class="badge" data-testid="order-test">
                            {t('orders.test')}
                          </span>
                        </Show>
                        <div class="muted small">
                          {cityName(o.cityId)} · {formatDateTime(o.createdAt)}
                        </div>
                      </td>
                      <td>
                        {o.customer.name || '—'}
                        <div class="muted small">{o.customer.phone}</div>
                      </td>
                      <td class="nowrap">{formatMoney(o.total, o.currency)}</td>
                      <td>
                        <span class={`badge ${BADGE[o.status]}`}>{statusLabel(o.status)}</span>
                      </td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </div>
          <Pager total={list.latest?.total ?? 0} limit={LIMIT} offset={f.offset} onChange={(o) => setF('offset', o)} />
        </div>
        <div class="card stack" data-testid="order-detail">
          <Show
            when={detail()}
            fallback={<div class="empty">{detail.loading ? t('common.loading') : t('orders.select')}</div>}
          >
            {(d) => (
              <OrderView
                order={d()}
                busy={busy()}
                note={note()}
                reference={reference()}
                on={{ act, setNote, setReference }}
              />
            )}
          </Show>
          <ErrorBox error={detail.error} />
        </div>
      </div>
    </>
  );
}

function OrderView(props: {
  order: OrderDetail;
  busy: boolean;
  note: string;
  reference: string;
  on: {
    act: (order: OrderDetail, action: OrderAction) => void;
    setNote: (v: string) => void;
    setReference: (v: string) => void;
  };
}): JSX.Element {
  const o = () => props.order;
  return (
    <>
      <div class="card-head" style={{ 'flex-wrap': 'wrap' }}>
        <h2>№ {o().number}</h2>
        <span class={`badge ${BADGE[o().status]}`} data-testid="order-status">
          {statusLabel(o().status)}
        </span>
        <Show when={o().test}>
          <span class="badge">{t('orders.test')}</span>
        </Show>
        <div class="spacer" />
        <b>{formatMoney(o().total, o().currency)}</b>
      </div>
      <Show when={o().test}>
        <div class="small muted" data-testid="order-test-note">
          {t('orders.testNote')}
        </div>
      </Show>
      <div class="small">
        {o().customer.name} · {o().customer.phone} · {o().channel}
        <br />
        {o().delivery.kind === 'delivery'
          ? `${t('orders.delivery')}: ${o().delivery.address ?? ''}`
          : `${t('orders.pickup')}: ${o().delivery.store ?? ''}`}
        {' · '}
        {t('orders.payment')}: {o().paymentMethod}
      </div>
      <Show when={Object.keys(o().details).length > 0}>
        <div class="small" data-testid="order-details">
          <b>{t('orders.details')}:</b>{' '}
          <For each={Object.entries(o().details)}>
            {([name, answer], i) => (
              <>
                {i() > 0 ? ' · ' : ''}
                {name}: <b>{answer}</b>
              </>
            )}
          </For>
        </div>
      </Show>
      <table class="table" data-testid="order-items">
        <thead>
          <tr>
            <th>{t('orders.sku')}</th>
            <th>{t('orders.items')}</th>
            <th>{t('orders.quantity')}</th>
            <th>{t('orders.price')}</th>
          </tr>
        </thead>
        <tbody>
          <For each={o().items}>
            {(i) => (
              <tr>
                <td class="mono small">{i.sku}</td>
                <td>{i.name}</td>
                <td>{i.quantity}</td>
                <td class="nowrap">{formatMoney(i.price, o().currency)}</td>
              </tr>
            )}
          </For>
        </tbody>
      </table>
      <Show when={o().actions.length > 0}>
        <div class="stack">
          <input
            placeholder={t('orders.note')}
            value={props.note}
            onInput={(e) => props.on.setNote(e.currentTarget.value)}
            data-testid="order-note"
          />
          <Show when={o().actions.includes('mark_paid')}>
            <input
              placeholder={t('orders.reference')}
              value={props.reference}
              onInput={(e) => props.on.setReference(e.currentTarget.value)}
              data-testid="order-reference"
            />
          </Show>
          <div class="row" style={{ 'flex-wrap': 'wrap' }}>
            <For each={o().actions}>
              {(action) => (
                <button
                  class={action === 'cancel' ? 'btn danger' : 'btn primary'}
                  disabled={props.busy}
                  onClick={() => props.on.act(o(), action)}
                  data-testid={`order-action-${action}`}
                >
                  {t(`orders.action.${action}` as MessageKey)}
                </button>
              )}
            </For>
          </div>
        </div>
      </Show>
      <h3>{t('orders.payments')}</h3>
      <div class="stack small" data-testid="order-payments">
        <For each={o().payments} fallback={<span class="muted">{t('orders.noPayments')}</span>}>
          {(p) => (
            <div>
              <b>{p.provider}</b> · <span class="mono">{p.reference}</span> · {formatMoney(p.amount, p.currency)} ·{' '}
              {p.status} · {formatDateTime(p.createdAt)}
              <Show when={p.flaggedReason}>
                {' '}
                <span class="badge bad">{t('orders.flagged', { reason: p.flaggedReason ?? '' })}</span>
              </Show>
            </div>
          )}
        </For>
      </div>
      <h3>{t('orders.history')}</h3>
      <div class="stack small" data-testid="order-history">
        <For each={o().events}>
          {(e) => (
            <div>
              <span class="muted">{formatDateTime(e.at)}</span> · {e.from ? `${statusLabel(e.from)} → ` : ''}
              <b>{statusLabel(e.to)}</b> · {t(`orders.by.${e.actor.kind}` as MessageKey)}
              {e.actor.kind === 'provider' && e.actor.id ? ` (${e.actor.id})` : ''}
              <Show when={e.note}> · «{e.note}»</Show>
              <Show when={e.from && e.notifiedAt && o().conversationKey}>
                {' '}
                <span class="muted">✓ {t('orders.told')}</span>
              </Show>
            </div>
          )}
        </For>
      </div>
    </>
  );
}
