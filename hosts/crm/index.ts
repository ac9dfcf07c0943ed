import type { Db } from '../../storage/repos/common.ts';
import type { Logger } from '../runtime/ports.ts';
import { bitrix24Client } from './client.ts';
import type { Bitrix24Config } from './config.ts';
import { deliverCrmOutbox, type CrmOutboxPass } from './outboxWorker.ts';
import { Bitrix24PortalError, requireKztCurrency } from './portal.ts';

/**
 * Bitrix24 delivery as the worker runs it: the portal is checked for KZT at start-up (a portal
 * that answers without it stops the start; one that does not answer is checked again before the
 * first delivery), then the CRM outbox is passed through on a timer.
 */
export type CrmDelivery = {
  checkPortalAtStart(): Promise<void>;
  deliver(): Promise<CrmOutboxPass | undefined>;
};

export function createCrmDelivery(w: { config: Bitrix24Config; db: Db; clock: () => Date; log: Logger }): CrmDelivery {
  const bitrix = bitrix24Client({ webhookUrl: w.config.webhookUrl });
  let portalChecked = false;
  const checkPortal = async () => {
    await requireKztCurrency(bitrix);
    portalChecked = true;
  };
  return {
    async checkPortalAtStart() {
      try {
        await checkPortal();
      } catch (error) {
        if (error instanceof Bitrix24PortalError) throw error;
        w.log.warn(
          { err: String(error) },
          'Bitrix24 did not answer at start-up; its KZT currency is checked before the first delivery',
        );
      }
    },
    async deliver() {
      try {
        if (!portalChecked) await checkPortal();
        return await deliverCrmOutbox({
          db: w.db,
          bitrix,
          dealStages: w.config.dealStages,
          clock: w.clock,
          log: w.log,
        });
      } catch (error) {
        // nothing is lost: the rows stay pending until the portal can take them
        w.log.error({ err: String(error) }, 'CRM outbox pass stopped');
        return undefined;
      }
    },
  };
}
