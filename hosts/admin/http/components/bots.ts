import type { JsonSchema } from '../jsonSchema.ts';
import { s, int, b, obj, arr, ref, opt } from '../docs.ts';

/** Each city's bots: channel settings and the prompts their model reads. */
export const BOTS_COMPONENTS: Record<string, JsonSchema> = {
  BotChannelConfig: opt(
    obj({
      id: s('uuid'),
      cityId: s('uuid'),
      channel: { enum: ['telegram', 'whatsapp'] },
      botToken: { anyOf: [s(undefined, 'masked, e.g. 123456:…abcd'), { type: 'null' }] },
      hasWebhookSecret: b,
      managersChatId: s(),
      whatsappPhoneNumberId: s(),
      whatsappTemplateName: s(),
      scenarioId: s(),
      settings: {
        type: 'object',
        additionalProperties: false,
        properties: {
          model: s(undefined, 'model of the call that reads each shopper message; default OPENAI_MODEL'),
          maxTokens: {
            ...int,
            minimum: 50,
            maximum: 16000,
            description: 'max_completion_tokens of that call; default 300',
          },
          templateLang: s(
            undefined,
            'WhatsApp only: template language code as approved by Meta (ru, kk, en_US); default ru',
          ),
          templateParams: {
            ...arr({ enum: ['text', 'productName', 'price'] }),
            description: 'WhatsApp only: what fills the template body variables, in order; default [text]',
          },
        },
      },
      version: int,
      updatedAt: s('date-time'),
    }),
    'managersChatId',
    'whatsappPhoneNumberId',
    'whatsappTemplateName',
    'scenarioId',
  ),
  BotConfig: obj({
    cityId: s('uuid'),
    telegram: { anyOf: [ref('BotChannelConfig'), { type: 'null' }] },
    whatsapp: { anyOf: [ref('BotChannelConfig'), { type: 'null' }] },
  }),
  Prompt: opt(
    obj({
      id: s('uuid'),
      cityId: s('uuid'),
      name: s(),
      content: s(),
      version: int,
      isActive: b,
      createdAt: s('date-time'),
    }),
    'cityId',
  ),
  PromptDiff: obj({
    name: s(),
    from: int,
    to: int,
    lines: arr(
      obj({
        op: { enum: ['=', '+', '-'] },
        text: s(),
        oldLine: { anyOf: [int, { type: 'null' }] },
        newLine: { anyOf: [int, { type: 'null' }] },
      }),
    ),
    unified: s(undefined, 'the same diff as unified-diff text'),
  }),
};
