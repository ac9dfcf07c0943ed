import type { JsonSchema } from '../jsonSchema.ts';
import { s, b, obj, arr, opt } from '../docs.ts';

const summary = {
  id: s('uuid'),
  cityId: s('uuid'),
  channel: s(),
  userId: s(undefined, "the shopper's chat id on the channel"),
  conversationKey: s(),
  flow: s(undefined, 'the designer flow that recorded it'),
  slots: { type: 'object', additionalProperties: s(), description: 'what the shopper answered, by slot name' },
  status: { enum: ['new', 'done'] },
  doneBy: s('uuid'),
  doneAt: s('date-time'),
  test: { ...b, description: 'left by staff talking to the bot (playground, API tokens)' },
  createdAt: s('date-time'),
};
const optional = ['cityId', 'doneBy', 'doneAt'];

/** Leads: requests designer flows collected for the staff. */
export const LEADS_COMPONENTS: Record<string, JsonSchema> = {
  LeadSummary: opt(obj(summary), ...optional),
  Lead: opt(
    obj({
      ...summary,
      history: arr(obj({ role: { enum: ['shopper', 'bot', 'manager'] }, text: s(), at: s('date-time') })),
    }),
    ...optional,
  ),
};
