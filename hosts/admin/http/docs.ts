import type { JsonSchema } from './jsonSchema.ts';

/** Response shapes for the OpenAPI document — the panel's contract. */

const s = (format?: string, description?: string): JsonSchema => ({
  type: 'string',
  ...(format ? { format } : {}),
  ...(description ? { description } : {}),
});
const n: JsonSchema = { type: 'number' };
const int: JsonSchema = { type: 'integer' };
const b: JsonSchema = { type: 'boolean' };
export const obj = (
  properties: Record<string, JsonSchema>,
  required: string[] = Object.keys(properties),
): JsonSchema => ({ type: 'object', properties, required });
export const arr = (items: JsonSchema): JsonSchema => ({ type: 'array', items });
export const ref = (name: string): JsonSchema => ({ $ref: `#/components/schemas/${name}` });
const opt = (schema: JsonSchema, ...optional: string[]): JsonSchema => ({
  ...schema,
  required: (schema.required ?? []).filter((k) => !optional.includes(k)),
});
export const paged = (item: JsonSchema): JsonSchema => obj({ items: arr(item), total: int, limit: int, offset: int });

export const COMPONENTS: Record<string, JsonSchema> = {
  Error: obj({
    error: opt(
      obj({
        code: s(
          undefined,
          'machine-readable: validation_failed, unauthorized, forbidden, csrf_failed, not_found, conflict, rate_limited, scenario_invalid, …',
        ),
        message: s(),
        details: { description: 'for validation errors: [{ path, message }]; for scenarios: [{ file, path, reason }]' },
      }),
      'details',
    ),
  }),
  User: obj({
    id: s('uuid'),
    email: s('email'),
    name: s(),
    role: { enum: ['owner', 'admin', 'manager', 'designer', 'viewer'] },
    isActive: b,
    createdAt: s('date-time'),
    updatedAt: s('date-time'),
  }),
  Session: opt(
    obj({
      accessToken: s(undefined, 'HS256 JWT for Authorization: Bearer; also set as the httpOnly zeta_access cookie'),
      refreshToken: s(undefined, 'opaque; also set as the httpOnly zeta_refresh cookie (path /api/auth)'),
      expiresIn: { ...int, description: 'access token lifetime, seconds' },
      csrfToken: s(
        undefined,
        'the value of the zeta_csrf cookie; send it as X-CSRF-Token on cookie-authenticated POST/PUT/DELETE',
      ),
      user: ref('User'),
    }),
  ),
  City: obj(
    {
      id: s('uuid'),
      name: s(),
      slug: s(),
      timezone: s(),
      currency: s(),
      language: s(),
      isActive: b,
      createdAt: s('date-time'),
      updatedAt: s('date-time'),
      managerHours: s(),
    },
    ['id', 'name', 'slug', 'timezone', 'currency', 'language', 'isActive', 'createdAt', 'updatedAt'],
  ),
  Product: opt(
    obj({
      id: s('uuid'),
      cityId: s('uuid'),
      sku: s(),
      name: s(),
      description: s(),
      price: n,
      currency: s(),
      category: s(),
      color: s(),
      material: s(),
      dimensions: obj({ width: n, depth: n, height: n, unit: { const: 'cm' } }, []),
      imageUrl: s(),
      available: b,
      attributes: {
        type: 'object',
        additionalProperties: { anyOf: [s(), n] },
        description: 'attributes other than colour and material: key → value slug, number or text',
      },
      categoryName: s(undefined, 'lists: the category as people read it'),
      colorName: s(),
      materialName: s(),
      createdAt: s('date-time'),
      updatedAt: s('date-time'),
    }),
    'description',
    'category',
    'color',
    'material',
    'dimensions',
    'attributes',
    'categoryName',
    'colorName',
    'materialName',
  ),
  Names: opt(obj({ ru: s(), kk: s(), en: s() }), 'kk', 'en'),
  Category: opt(
    obj({
      slug: s(undefined, 'the stable id products, alerts and conversations hold'),
      parent: s(),
      names: ref('Names'),
      synonyms: arr(s()),
      position: int,
      products: { ...int, description: 'products filed directly under it' },
      depth: { ...int, description: 'lists: 0 for a top-level category' },
      total: { ...int, description: 'lists: products with its subcategories' },
    }),
    'parent',
    'depth',
    'total',
  ),
  AttributeValue: obj({ value: s(), names: ref('Names'), synonyms: arr(s()) }),
  Attribute: opt(
    obj({
      key: s(),
      kind: { enum: ['enum', 'number', 'text'] },
      names: ref('Names'),
      unit: s(undefined, 'numbers: cm, kg, …'),
      values: arr(ref('AttributeValue')),
    }),
    'unit',
    'values',
  ),
  SearchResult: obj({ items: arr({ type: 'object', description: 'Product plus rank' }), total: int }),
  ImportResult: obj({
    imported: int,
    updated: int,
    errors: arr(obj({ line: int, reason: s() })),
    created: arr(
      opt(
        obj({
          kind: { enum: ['category', 'color', 'material', 'attribute', 'value'] },
          slug: s(),
          name: s(),
          type: { enum: ['number', 'text'], description: 'attributes: what the column held' },
          unit: s(undefined, 'number attributes: the unit the header named'),
          attribute: s(undefined, 'values: the attribute they belong to'),
        }),
        'type',
        'unit',
        'attribute',
      ),
    ),
  }),
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
  ScenarioProblem: obj({ file: s(), path: s(), reason: s() }),
  ScenarioGraph: {
    ...obj({
      scenario: obj({ id: s(), version: int, name: s() }),
      states: arr(
        obj({
          id: s(undefined, 'dotted path, e.g. search.searching'),
          key: s(),
          parent: { anyOf: [s(), { type: 'null' }] },
          initial: b,
          leaf: b,
        }),
      ),
      transitions: arr(
        opt(
          obj({
            from: s(undefined, 'state id; * = every state that does not handle the event itself'),
            to: { anyOf: [s(), { type: 'null' }], description: 'null: stays in its state' },
            event: s(),
            order: {
              ...int,
              description: "among the event's transitions of `from`; the first whose conditions hold wins",
            },
            conditions: arr(
              opt(
                obj({ type: s(undefined, 'a named guard'), params: { type: 'object' }, of: arr({ type: 'object' }) }),
                'params',
                'of',
              ),
            ),
            intents: arr(s()),
            menu: arr(s(undefined, 'menu item id')),
          }),
          'intents',
          'menu',
        ),
      ),
      intents: arr(
        obj({ name: s(), route: s(), changed: { ...b, description: 'routed differently from the default' } }),
      ),
      menu: arr(obj({ id: s(), flow: s(), label: { type: 'object', additionalProperties: { type: 'string' } } })),
    }),
    description: "the scenario's state machine, read from the built XState machine",
  },
  Scenario: opt(
    obj({
      id: s(),
      source: { enum: ['file', 'database'] },
      activeVersion: {
        anyOf: [int, { type: 'null' }],
        description: 'database version in force; null = the shipped file',
      },
      content: s(undefined, 'YAML text'),
      file: s(),
      graph: ref('ScenarioGraph'),
      versions: arr(
        obj({
          version: int,
          isActive: b,
          createdAt: s('date-time'),
          createdBy: { anyOf: [s('uuid'), { type: 'null' }] },
        }),
      ),
    }),
    'content',
    'file',
  ),
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
  AuditEntry: opt(
    obj({
      id: s('uuid'),
      userId: s('uuid'),
      userEmail: s(),
      action: s(),
      entity: s(),
      entityId: s(),
      before: {},
      after: {},
      ip: s(),
      createdAt: s('date-time'),
    }),
    'userId',
    'userEmail',
    'entityId',
    'ip',
  ),
  Stats: obj({
    from: s('date-time'),
    to: s('date-time'),
    timezone: s(undefined, 'days are counted in this zone'),
    totals: obj({
      messages: int,
      activeShoppers: int,
      searches: int,
      zeroResults: int,
      productViews: int,
      alerts: int,
      escalations: int,
    }),
    byDay: arr(
      obj({
        day: s('date'),
        channel: s(undefined, "telegram | whatsapp | web | '' (no channel)"),
        messages: int,
        activeShoppers: int,
        searches: int,
        zeroResults: int,
        productViews: int,
        alerts: int,
        escalations: int,
      }),
    ),
    topQueries: arr(obj({ query: s(), count: int })),
    zeroResultQueries: arr(obj({ query: s(), count: int })),
    funnel: obj({ shoppers: int, greeting: int, search: int, productView: int, alertOrEscalation: int }),
    responseTime: obj({
      p50Ms: { anyOf: [n, { type: 'null' }] },
      p95Ms: { anyOf: [n, { type: 'null' }] },
      samples: int,
    }),
    escalationFirstResponse: obj({
      p50Ms: { anyOf: [n, { type: 'null' }] },
      p95Ms: { anyOf: [n, { type: 'null' }] },
      samples: int,
    }),
  }),
};
