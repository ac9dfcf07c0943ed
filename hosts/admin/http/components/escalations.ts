import type { JsonSchema } from '../jsonSchema.ts';
import { s, obj, arr, opt } from '../docs.ts';

/** Escalations: hand-offs to managers, their messages and the conversation log. */
export const ESCALATIONS_COMPONENTS: Record<string, JsonSchema> = {
  Escalation: opt(
    obj({
      id: s('uuid'),
      cityId: s('uuid'),
      channel: s(),
      chatId: s(),
      userId: s(),
      conversationKey: s(),
      reason: s(),
      trigger: s(),
      conversationHistory: arr(obj({ role: { enum: ['shopper', 'bot', 'manager'] }, text: s(), at: s('date-time') })),
      status: { enum: ['pending', 'in_progress', 'resolved'] },
      assignedTo: s('uuid'),
      createdAt: s('date-time'),
      firstResponseAt: s('date-time'),
      resolvedAt: s('date-time'),
    }),
    'cityId',
    'userId',
    'reason',
    'trigger',
    'assignedTo',
    'firstResponseAt',
    'resolvedAt',
  ),
  EscalationMessage: opt(
    obj({
      id: s('uuid'),
      escalationId: s('uuid'),
      author: { enum: ['shopper', 'manager', 'bot'] },
      authorUserId: s('uuid'),
      text: s(),
      createdAt: s('date-time'),
    }),
    'authorUserId',
  ),
  ConversationMessage: obj({
    direction: { enum: ['in', 'out'] },
    text: { anyOf: [s(), { type: 'null' }] },
    payload: {},
    createdAt: s('date-time'),
  }),
};
