import type { OpenedDatabase } from '../../storage/db/open.ts';
import { createPeriodicJobs, type PeriodicJobs } from '../../storage/queue/index.ts';
import { dropStoredMediaBefore } from '../../storage/repos/escalationMedia.ts';
import { deleteExpiredRefreshTokens } from '../admin/store/refreshTokens.ts';
import type { CrmDelivery } from '../crm/index.ts';
import type { Logger } from '../runtime/ports.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';
import type { PaymentService } from '../payments/service.ts';
import type { ChatUploads } from '../web/uploads.ts';
import { sweepAndDeliver } from './alertDelivery.ts';
import { deliverOrderNews } from './orderNews.ts';
import type { PlatformConfig } from './config.ts';

export type PeriodicWork = {
  config: PlatformConfig;
  db: OpenedDatabase['db'];
  runtime: ConversationRuntime;
  uploads: ChatUploads;
  payments: PaymentService;
  keyPrefix?: string;
  alertSweepMs?: number;
  /** Bitrix24 delivery, when BITRIX24_WEBHOOK_URL is set */
  crm?: CrmDelivery;
  crmOutboxMs?: number;
  clock: () => Date;
  log: Logger;
};

/** The worker's scheduled jobs — price-alert sweep, order news sweep, the CRM outbox and housekeeping — each run by one replica at a time. */
export async function startPeriodicJobs(w: PeriodicWork): Promise<PeriodicJobs> {
  const { config, db, runtime, clock, log } = w;
  const periodic = await createPeriodicJobs(
    config.redisUrl ? { redisUrl: config.redisUrl, ...(w.keyPrefix ? { keyPrefix: w.keyPrefix } : {}) } : {},
  );
  await periodic.every('price-alert-sweep', w.alertSweepMs ?? 10 * 60_000, async () => {
    const delivered = await sweepAndDeliver({ db, runtime, clock, log });
    if (delivered > 0) log.info({ delivered }, 'price-alert sweep delivered notifications');
  });
  // order news is told as it happens (the API calls deliverOrderNews); this catches what a crash left
  await periodic.every('order-news-sweep', 60_000, async () => {
    const delivered = await deliverOrderNews({ db, runtime, clock, log });
    if (delivered > 0) log.info({ delivered }, 'order news sweep told shoppers of status changes');
  });
  // the Kaspi gateway does not retry its invoice webhooks: pending invoices are asked for
  if (config.payments.kaspiGateway)
    await periodic.every('kaspi-invoice-reconcile', 5 * 60_000, async () => {
      const changed = await w.payments.reconcileKaspi();
      if (changed > 0) log.info({ changed }, 'Kaspi invoices reconciled with the gateway');
    });
  const crm = w.crm;
  if (crm)
    await periodic.every('crm-outbox', w.crmOutboxMs ?? 15_000, async () => {
      const pass = await crm.deliver();
      if (pass && pass.delivered + pass.failed > 0) log.info(pass, 'CRM outbox pass');
    });
  await periodic.every('housekeeping', 60 * 60_000, async () => {
    const removed = await deleteExpiredRefreshTokens(db, new Date(clock().getTime() - 24 * 3600_000));
    if (removed > 0) log.info({ removed }, 'expired refresh tokens removed');
    const uploadsRemoved = await w.uploads.purgeExpired();
    if (uploadsRemoved > 0) log.info({ removed: uploadsRemoved }, 'expired web chat uploads removed');
    const dropped = await dropStoredMediaBefore(
      db,
      new Date(clock().getTime() - config.escalationMedia.retentionDays * 24 * 3600_000),
    );
    if (dropped > 0) log.info({ dropped }, 'escalation media past retention dropped');
  });
  return periodic;
}
