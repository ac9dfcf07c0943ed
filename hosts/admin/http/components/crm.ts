import type { JsonSchema } from '../jsonSchema.ts';
import { s, int, obj } from '../docs.ts';

const nullable = (schema: JsonSchema): JsonSchema => ({ anyOf: [schema, { type: 'null' }] });

/** The CRM outbox: orders and leads on their way to Bitrix24. */
export const CRM_COMPONENTS: Record<string, JsonSchema> = {
  CrmJob: obj({
    id: s('uuid'),
    kind: { enum: ['order', 'lead'] },
    entityId: s('uuid', 'the order or lead'),
    status: { enum: ['pending', 'delivered', 'failed'] },
    version: { ...int, description: 'bumped by every change of the order; delivered only as of the latest' },
    attempts: { ...int, description: 'tries since the last change or delivery' },
    nextAttemptAt: s('date-time'),
    crmId: nullable(s(undefined, 'the Bitrix24 deal or lead id, once known')),
    syncedStatus: nullable(s(undefined, "the order status the deal's stage was last set for")),
    lastError: nullable(s(undefined, 'why the last try failed (Bitrix24 error code and description)')),
    createdAt: s('date-time'),
    updatedAt: s('date-time'),
  }),
};
