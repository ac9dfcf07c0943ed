import type { JsonSchema } from '../jsonSchema.ts';
import { s, b, int, obj, arr, opt } from '../docs.ts';

/** Dead letters: what the conversation runtime gave up on. */
export const DEAD_LETTERS_COMPONENTS: Record<string, JsonSchema> = {
  DeadLetter: opt(
    obj({
      id: s('uuid'),
      kind: {
        enum: ['message', 'delivery'],
        description: "'message': its turn kept failing; 'delivery': its replies could not be sent",
      },
      cityId: s('uuid'),
      city: s(),
      channel: s(),
      userId: s(undefined, "the shopper's chat id on the channel"),
      conversationKey: s(),
      messageId: s(undefined, 'the inbox id of the message'),
      system: { ...b, description: 'not a shopper message: a timer, a manager reply, a price drop' },
      event: { type: 'object', description: 'the message as the engine got it' },
      replies: arr({ type: 'object' }),
      error: s(undefined, 'the last error'),
      attempts: int,
      status: { enum: ['new', 'retried'] },
      retriedBy: s('uuid'),
      retriedAt: s('date-time'),
      test: { ...b, description: 'left by staff talking to the bot (playground, API tokens)' },
      createdAt: s('date-time'),
    }),
    'cityId',
    'retriedBy',
    'retriedAt',
  ),
};
