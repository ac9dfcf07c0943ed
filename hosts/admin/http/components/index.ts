import type { JsonSchema } from '../jsonSchema.ts';
import { ACCOUNTS_COMPONENTS } from './accounts.ts';
import { CATALOG_COMPONENTS } from './catalog.ts';
import { BOTS_COMPONENTS } from './bots.ts';
import { SCENARIOS_COMPONENTS } from './scenarios.ts';
import { ESCALATIONS_COMPONENTS } from './escalations.ts';
import { RECORDS_COMPONENTS } from './records.ts';
import { LEADS_COMPONENTS } from './leads.ts';
import { ORDERS_COMPONENTS } from './orders.ts';
import { CRM_COMPONENTS } from './crm.ts';
import { DEAD_LETTERS_COMPONENTS } from './deadLetters.ts';

/** The named response shapes of the OpenAPI document — the panel's contract — by area, in document order. */
export const COMPONENTS: Record<string, JsonSchema> = {
  ...ACCOUNTS_COMPONENTS,
  ...CATALOG_COMPONENTS,
  ...BOTS_COMPONENTS,
  ...SCENARIOS_COMPONENTS,
  ...ESCALATIONS_COMPONENTS,
  ...LEADS_COMPONENTS,
  ...ORDERS_COMPONENTS,
  ...CRM_COMPONENTS,
  ...RECORDS_COMPONENTS,
  ...DEAD_LETTERS_COMPONENTS,
};
