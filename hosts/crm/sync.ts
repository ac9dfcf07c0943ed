import { getOrder } from '../../storage/orders/index.ts';
import type { CrmJob } from '../../storage/crm/outbox.ts';
import type { Db } from '../../storage/repos/common.ts';
import { getLead } from '../../storage/repos/leads.ts';
import type { OrderStatus } from '../../storage/db/types.ts';
import type { Bitrix24 } from './client.ts';

/**
 * Sends one outbox row's order or lead to Bitrix24 as it is now. Bitrix24 has no idempotency key,
 * so every create is preceded by a look-up by ORIGIN_ID (our id): a row retried after a timeout or
 * a crash finds what the first try made instead of making it twice.
 */
export type Synced = { crmId: string; syncedStatus?: string };

/** The entity cannot be sent as it is (gone, wrong currency); retrying will not help. */
export class CrmRejectedError extends Error {
  override readonly name = 'CrmRejectedError';
}

export type SyncContext = { db: Db; bitrix: Bitrix24; dealStages: Record<OrderStatus, string> };

export function syncJob(ctx: SyncContext, job: CrmJob): Promise<Synced> {
  return job.kind === 'order' ? syncOrder(ctx, job) : syncLead(ctx, job);
}

type Found = Array<{ ID: string; STAGE_ID?: string }>;

async function syncOrder({ db, bitrix, dealStages }: SyncContext, job: CrmJob): Promise<Synced> {
  const order = await getOrder(db, job.entityId);
  if (!order) throw new CrmRejectedError(`order ${job.entityId} no longer exists`);
  if (order.currency !== 'KZT') throw new CrmRejectedError(`order № ${order.number} is in ${order.currency}, not KZT`);
  const stage = dealStages[order.status];
  if (job.crmId) {
    if (job.syncedStatus !== order.status)
      await bitrix.call('crm.deal.update', { id: job.crmId, fields: { STAGE_ID: stage } });
    return { crmId: job.crmId, syncedStatus: order.status };
  }
  const rows = order.items.map((item) => ({ PRODUCT_NAME: item.name, PRICE: item.price, QUANTITY: item.quantity }));
  const [existing] = await bitrix.call<Found>('crm.deal.list', {
    filter: { ORIGIN_ID: order.id },
    select: ['ID', 'STAGE_ID'],
  });
  if (existing) {
    // made by a try that did not finish: its product rows may be missing (setting them again replaces them)
    await bitrix.call('crm.deal.productrows.set', { id: existing.ID, rows });
    if (existing.STAGE_ID !== stage)
      await bitrix.call('crm.deal.update', { id: existing.ID, fields: { STAGE_ID: stage } });
    return { crmId: String(existing.ID), syncedStatus: order.status };
  }
  const contactId = await contactFor(bitrix, order.customer);
  const dealId = await bitrix.call<number | string>('crm.deal.add', {
    fields: {
      TITLE: `Заказ № ${order.number}`,
      CONTACT_ID: contactId,
      OPPORTUNITY: order.total,
      CURRENCY_ID: 'KZT',
      ORIGIN_ID: order.id,
      STAGE_ID: stage,
      COMMENTS: orderComment(order),
    },
  });
  await bitrix.call('crm.deal.productrows.set', { id: dealId, rows });
  return { crmId: String(dealId), syncedStatus: order.status };
}

/** the shopper's contact: found by phone (Bitrix24's duplicate index), or made */
async function contactFor(bitrix: Bitrix24, customer: { name: string; phone: string }): Promise<string> {
  const found = await bitrix.call<{ CONTACT?: Array<number | string> } | []>('crm.duplicate.findbycomm', {
    entity_type: 'CONTACT',
    type: 'PHONE',
    values: [customer.phone],
  });
  const first = Array.isArray(found) ? undefined : found.CONTACT?.[0];
  if (first !== undefined) return String(first);
  const id = await bitrix.call<number | string>('crm.contact.add', {
    fields: { NAME: customer.name, PHONE: [{ VALUE: customer.phone, VALUE_TYPE: 'MOBILE' }] },
  });
  return String(id);
}

function orderComment(order: NonNullable<Awaited<ReturnType<typeof getOrder>>>): string {
  const where =
    order.delivery.kind === 'delivery'
      ? `Доставка: ${order.delivery.address ?? ''}`
      : `Самовывоз: ${order.delivery.store ?? ''}`;
  return `${where}\nОплата: ${order.paymentMethod}\nКанал: ${order.channel}`;
}

/** the slot a flow asked the phone in: `phone`, else the first whose name says phone */
const phoneSlot = (slots: Record<string, string>) =>
  slots.phone ?? Object.entries(slots).find(([name]) => /phone|tel/.test(name))?.[1];

async function syncLead({ db, bitrix }: SyncContext, job: CrmJob): Promise<Synced> {
  if (job.crmId) return { crmId: job.crmId };
  const lead = await getLead(db, job.entityId);
  if (!lead) throw new CrmRejectedError(`lead ${job.entityId} no longer exists`);
  const [existing] = await bitrix.call<Found>('crm.lead.list', { filter: { ORIGIN_ID: lead.id }, select: ['ID'] });
  if (existing) return { crmId: String(existing.ID) };
  const phone = phoneSlot(lead.slots);
  const id = await bitrix.call<number | string>('crm.lead.add', {
    fields: {
      TITLE: `Заявка: ${lead.flow}`,
      ...(lead.slots.name ? { NAME: lead.slots.name } : {}),
      ...(phone ? { PHONE: [{ VALUE: phone, VALUE_TYPE: 'MOBILE' }] } : {}),
      COMMENTS: Object.entries(lead.slots)
        .map(([slot, value]) => `${slot}: ${value}`)
        .join('\n'),
      ORIGIN_ID: lead.id,
      SOURCE_DESCRIPTION: `${lead.channel} ${lead.conversationKey}`,
    },
  });
  return { crmId: String(id) };
}
