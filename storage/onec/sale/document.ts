import type { OrderWithItems } from '../../orders/types.ts';
import { element } from './xmlText.ts';

/**
 * New and changed orders as the CommerceML 2 document 1C's «Обмен с сайтом» loads as customer
 * orders (`Документ` with `ХозОперация` «Заказ товара», the site as `Продавец`). Element names and
 * order follow the schema (2.04–2.10 put `Документ` straight under `КоммерческаяИнформация`); dates
 * and times are the city's local ones.
 *
 * A line whose product has no 1C Ид (it came from a spreadsheet, or was made in the panel) carries
 * our SKU as its `Ид` and `Артикул`, and a `ЗначениеРеквизита` «НетИд1С» = true, so 1C's matching
 * by Ид fails loudly (1C shows the line as an unmatched good to pick by hand) instead of silently
 * binding another good; the order's own requisite «Есть товары без Ид 1С» lists those SKUs.
 */
export type SaleDocumentOptions = {
  schemaVersion: string;
  /** what `Валюта` says: the order's currency code unless configured (`ONEC_ORDER_CURRENCY`) */
  currency?: string;
  timezone: string;
  now: Date;
};

const STATUS_NAMES: Record<OrderWithItems['status'], string> = {
  new: 'Новый',
  awaiting_payment: 'Ожидает оплаты',
  paid: 'Оплачен',
  confirmed: 'Подтвержден',
  shipped: 'Отгружен',
  ready_for_pickup: 'Готов к выдаче',
  completed: 'Выполнен',
  cancelled: 'Отменен',
};

const PAYMENT_NAMES: Record<string, string> = {
  on_delivery: 'При получении',
  kaspi: 'Kaspi',
  kaspi_manual: 'Kaspi (счёт вручную)',
  stripe: 'Банковская карта (Stripe)',
  cloudpayments: 'Банковская карта (CloudPayments)',
};

const PAID_STATUSES: readonly OrderWithItems['status'][] = [
  'paid',
  'confirmed',
  'shipped',
  'ready_for_pickup',
  'completed',
];

/** `2026-12-07` and `16:26:25` on the city's clock */
export function localDateTime(at: Date, timezone: string): { date: string; time: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-CA', {
      timeZone: timezone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}:${parts.second}` };
}

const money = (amount: number): string => amount.toFixed(2);

const requisite = (name: string, value: string): string =>
  `<ЗначениеРеквизита>${element('Наименование', name)}${element('Значение', value)}</ЗначениеРеквизита>`;

const UNIT = '<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>';

function line(item: OrderWithItems['items'][number]): string {
  const known = Boolean(item.externalId);
  return [
    '<Товар>',
    element('Ид', known ? item.externalId! : item.sku),
    element('Артикул', item.sku),
    element('Наименование', item.name),
    UNIT,
    element('ЦенаЗаЕдиницу', money(item.price)),
    element('Количество', item.quantity),
    element('Сумма', money(item.price * item.quantity)),
    '<ЗначенияРеквизитов>',
    requisite('ВидНоменклатуры', 'Товар'),
    requisite('ТипНоменклатуры', 'Товар'),
    known ? '' : requisite('НетИд1С', 'true'),
    '</ЗначенияРеквизитов>',
    '</Товар>',
  ].join('');
}

function orderDocument(order: OrderWithItems, options: SaleDocumentOptions): string {
  const { date, time } = localDateTime(new Date(order.createdAt), options.timezone);
  const customer = order.customer.name || order.customer.phone || `Покупатель заказа № ${order.number}`;
  const withoutId = order.items.filter((i) => !i.externalId).map((i) => i.sku);
  const delivery =
    order.delivery.kind === 'delivery'
      ? `Доставка: ${order.delivery.address ?? ''}`
      : `Самовывоз: ${order.delivery.store ?? ''}`;
  return [
    '<Документ>',
    element('Ид', order.id),
    element('Номер', order.number),
    element('Дата', date),
    element('ХозОперация', 'Заказ товара'),
    element('Роль', 'Продавец'),
    element('Валюта', options.currency ?? order.currency),
    element('Курс', 1),
    element('Сумма', money(order.total)),
    '<Контрагенты><Контрагент>',
    element('Ид', order.customer.phone ? `phone:${order.customer.phone}` : `order:${order.id}`),
    element('Наименование', customer),
    element('ПолноеНаименование', customer),
    element('Роль', 'Покупатель'),
    order.customer.phone
      ? `<Контакты><Контакт>${element('Тип', 'Телефон мобильный')}${element('Значение', order.customer.phone)}</Контакт></Контакты>`
      : '',
    order.delivery.kind === 'delivery' && order.delivery.address
      ? `<АдресРегистрации>${element('Представление', order.delivery.address)}</АдресРегистрации>`
      : '',
    '</Контрагент></Контрагенты>',
    element('Время', time),
    element('Комментарий', `${delivery}; канал: ${order.channel}`),
    '<Товары>',
    ...order.items.map(line),
    '</Товары>',
    '<ЗначенияРеквизитов>',
    requisite('Статус заказа', STATUS_NAMES[order.status]),
    requisite('Статус заказа ИД', order.status),
    requisite('Способ доставки', order.delivery.kind === 'delivery' ? 'Доставка' : 'Самовывоз'),
    order.delivery.kind === 'delivery' && order.delivery.address
      ? requisite('Адрес доставки', order.delivery.address)
      : '',
    order.delivery.kind === 'pickup' && order.delivery.store ? requisite('Пункт самовывоза', order.delivery.store) : '',
    requisite('Метод оплаты', PAYMENT_NAMES[order.paymentMethod] ?? order.paymentMethod),
    requisite('Метод оплаты ИД', order.paymentMethod),
    requisite('Заказ оплачен', PAID_STATUSES.includes(order.status) ? 'true' : 'false'),
    requisite('Отменен', order.status === 'cancelled' ? 'true' : 'false'),
    requisite('Финальный статус', order.status === 'completed' || order.status === 'cancelled' ? 'true' : 'false'),
    requisite('Дата изменения статуса', order.updatedAt),
    withoutId.length ? requisite('Есть товары без Ид 1С', withoutId.join(', ')) : '',
    '</ЗначенияРеквизитов>',
    '</Документ>',
  ].join('');
}

/** the whole answer to `query` (without the XML declaration: encodeDocument adds it) */
export function saleDocument(orders: readonly OrderWithItems[], options: SaleDocumentOptions): string {
  const formed = localDateTime(options.now, options.timezone);
  return [
    `<КоммерческаяИнформация ВерсияСхемы="${options.schemaVersion}" ДатаФормирования="${formed.date}T${formed.time}">`,
    ...orders.map((o) => orderDocument(o, options)),
    '</КоммерческаяИнформация>',
  ].join('\n');
}
