import * as v from 'valibot';
import { ConfigError, optionalText } from '../config/index.ts';
import type { OrderStatus } from '../../storage/db/types.ts';
import { ORDER_STATUSES } from '../../storage/orders/status.ts';

/**
 * Bitrix24 settings from the environment:
 * - `BITRIX24_WEBHOOK_URL`: the portal's incoming webhook (`https://<portal>/rest/<user>/<code>/`,
 *   scope crm); unset, nothing goes to a CRM (orders and leads still queue in crm_outbox);
 * - `BITRIX24_DEAL_STAGES`: the deal stage for each order status, `status=STAGE_ID` separated by `;`
 *   (e.g. `paid=EXECUTING; completed=WON`, or a pipeline's `C2:NEW`); unnamed statuses keep the
 *   defaults of a new portal's pipeline (DEFAULT_DEAL_STAGES).
 */
export type Bitrix24Config = { webhookUrl: string; dealStages: Record<OrderStatus, string> };

/** a new Bitrix24 portal's deal pipeline: Новая, Счёт на предоплату, В работе, Финальный счёт, Сделка успешна / провалена */
export const DEFAULT_DEAL_STAGES: Record<OrderStatus, string> = {
  new: 'NEW',
  awaiting_payment: 'PREPAYMENT_INVOICE',
  paid: 'EXECUTING',
  confirmed: 'EXECUTING',
  shipped: 'FINAL_INVOICE',
  ready_for_pickup: 'FINAL_INVOICE',
  completed: 'WON',
  cancelled: 'LOSE',
};

const STAGE_ID = /^[A-Z0-9_]{1,40}(:[A-Z0-9_]{1,40})?$/;

const Schema = v.object({ BITRIX24_WEBHOOK_URL: optionalText, BITRIX24_DEAL_STAGES: optionalText });

/** undefined when Bitrix24 is not configured; a wrong value throws ConfigError naming it */
export function bitrix24Config(env: Record<string, string | undefined>): Bitrix24Config | undefined {
  const e = v.parse(Schema, env);
  if (!e.BITRIX24_WEBHOOK_URL) {
    if (e.BITRIX24_DEAL_STAGES) throw new ConfigError('BITRIX24_WEBHOOK_URL', 'is required with BITRIX24_DEAL_STAGES');
    return undefined;
  }
  return { webhookUrl: webhookUrl(e.BITRIX24_WEBHOOK_URL), dealStages: dealStages(e.BITRIX24_DEAL_STAGES) };
}

function webhookUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('BITRIX24_WEBHOOK_URL', `"${raw}" is not a URL`);
  }
  if (!/^https?:$/.test(url.protocol) || !/\/rest\/\d+\/[^/]+\/?$/.test(url.pathname) || url.search || url.hash)
    throw new ConfigError(
      'BITRIX24_WEBHOOK_URL',
      'must be an incoming webhook address like https://portal.bitrix24.kz/rest/1/abc123/',
    );
  return url.href.endsWith('/') ? url.href : `${url.href}/`;
}

function dealStages(raw: string | undefined): Record<OrderStatus, string> {
  const stages = { ...DEFAULT_DEAL_STAGES };
  for (const part of (raw ?? '').split(';')) {
    if (part.trim() === '') continue;
    const at = part.indexOf('=');
    const status = part.slice(0, at).trim();
    const stage = part.slice(at + 1).trim();
    if (at < 1 || !(ORDER_STATUSES as readonly string[]).includes(status))
      throw new ConfigError(
        'BITRIX24_DEAL_STAGES',
        `"${part.trim()}" is not status=STAGE_ID with a status of ${ORDER_STATUSES.join(', ')}`,
      );
    if (!STAGE_ID.test(stage))
      throw new ConfigError('BITRIX24_DEAL_STAGES', `"${stage}" is not a Bitrix24 stage id (NEW, WON, C2:NEW …)`);
    stages[status as OrderStatus] = stage;
  }
  return stages;
}
