import type { DeliveryKind, OrderStatus } from '../../db/types.ts';
import { isTrue } from '../xml/node.ts';

/**
 * 1C's order requisites → what should happen to our order. Each signal 1C can send is read on its
 * own, and together they make an ordered list of steps (payment first, then confirmed, then
 * shipped or ready for pickup, then completed), so a document that says «Проведен» and «Номер
 * отгрузки по 1С» at once moves the order two steps, each through the status machine:
 *
 * | 1C requisite | our step |
 * |---|---|
 * | «ПометкаУдаления» or «Отменен» = true | cancelled |
 * | «Дата оплаты по 1С» / «Дата оплаты» (a date, not `T`) | paid — a payment of the document's Сумма (provider `1c`), checked like any payment |
 * | «Проведен» = true | confirmed |
 * | «Номер отгрузки по 1С» / «Дата отгрузки по 1С» / «Номер отгрузки» (not `T`) | shipped (delivery) or ready_for_pickup (pickup) |
 * | «Финальный статус» = true | completed |
 * | «Статус заказа» (name, see STATUS_WORDS, or our own status id) | that status |
 *
 * A «Статус заказа» no one knows is reported as `unknown_status` (the other signals still apply).
 */
export type Step = OrderStatus;
export type WantedChange = { steps: Step[]; unknownStatus?: string; payment?: { reference: string } };

/** 1C's order status names (УТ 11, КА 2, УНФ, older УТ 10) and the site's usual ones → ours */
const STATUS_WORDS: Record<string, OrderStatus | 'unchanged'> = {
  новый: 'unchanged',
  'не согласован': 'unchanged',
  'на согласовании': 'unchanged',
  принят: 'confirmed',
  согласован: 'confirmed',
  подтвержден: 'confirmed',
  'к обеспечению': 'confirmed',
  'к выполнению': 'confirmed',
  'в работе': 'confirmed',
  'в сборке': 'confirmed',
  'ожидает оплаты': 'awaiting_payment',
  'ожидается оплата': 'awaiting_payment',
  'ожидается предоплата': 'awaiting_payment',
  'ожидается предоплата до отгрузки': 'awaiting_payment',
  оплачен: 'paid',
  'к отгрузке': 'confirmed',
  'ожидается отгрузка': 'confirmed',
  отгружен: 'shipped',
  доставляется: 'shipped',
  'в пути': 'shipped',
  'передан в доставку': 'shipped',
  'готов к выдаче': 'ready_for_pickup',
  'ожидает получения': 'ready_for_pickup',
  выполнен: 'completed',
  доставлен: 'completed',
  закрыт: 'completed',
  завершен: 'completed',
  отменен: 'cancelled',
  отказ: 'cancelled',
};

const OUR_STATUSES: readonly OrderStatus[] = [
  'new',
  'awaiting_payment',
  'paid',
  'confirmed',
  'shipped',
  'ready_for_pickup',
  'completed',
  'cancelled',
];

/** how far along an order is; cancelled stands apart */
export const RANK: Record<OrderStatus, number> = {
  new: 0,
  awaiting_payment: 1,
  paid: 2,
  confirmed: 3,
  shipped: 4,
  ready_for_pickup: 4,
  completed: 5,
  cancelled: 6,
};

/** a date 1C filled in: it writes `T` (or nothing) for an empty one */
const filled = (value: string | undefined): boolean => Boolean(value && value.trim() && value.trim() !== 'T');

const norm = (text: string) => text.trim().toLowerCase().replace(/ё/g, 'е').replace(/\s+/g, ' ');

export function statusOf(word: string): OrderStatus | 'unchanged' | undefined {
  const key = norm(word);
  if ((OUR_STATUSES as readonly string[]).includes(key)) return key as OrderStatus;
  return STATUS_WORDS[key];
}

export function wantedChange(requisites: Record<string, string>, delivery: DeliveryKind): WantedChange {
  const r = (name: string) => requisites[name];
  const wanted = new Set<Step>();
  let unknownStatus: string | undefined;
  let payment: WantedChange['payment'];
  if (isTrue(r('ПометкаУдаления') ?? '') || isTrue(r('Отменен') ?? '')) wanted.add('cancelled');
  const paidOn = filled(r('Дата оплаты по 1С'))
    ? r('Дата оплаты по 1С')
    : filled(r('Дата оплаты'))
      ? r('Дата оплаты')
      : undefined;
  if (paidOn) {
    wanted.add('paid');
    payment = { reference: `${r('Номер оплаты по 1С') || r('Номер платежного документа') || ''}@${paidOn.trim()}` };
  }
  if (isTrue(r('Проведен') ?? '')) wanted.add('confirmed');
  if (['Номер отгрузки по 1С', 'Дата отгрузки по 1С', 'Номер отгрузки'].some((n) => filled(r(n))))
    wanted.add(delivery === 'delivery' ? 'shipped' : 'ready_for_pickup');
  if (isTrue(r('Финальный статус') ?? '')) wanted.add('completed');
  const statusWord = r('Статус заказа ИД') || r('Статус заказа');
  if (statusWord) {
    const status = statusOf(statusWord) ?? (r('Статус заказа') ? statusOf(r('Статус заказа')!) : undefined);
    if (status === undefined) unknownStatus = statusWord;
    else if (status === 'shipped' || status === 'ready_for_pickup')
      wanted.add(delivery === 'delivery' ? 'shipped' : 'ready_for_pickup');
    else if (status !== 'unchanged' && status !== 'new') wanted.add(status);
  }
  if (wanted.has('paid') && !payment) payment = { reference: 'status' };
  const steps = wanted.has('cancelled') ? ['cancelled' as const] : [...wanted].sort((a, b) => RANK[a] - RANK[b]);
  return { steps, ...(unknownStatus ? { unknownStatus } : {}), ...(payment ? { payment } : {}) };
}
