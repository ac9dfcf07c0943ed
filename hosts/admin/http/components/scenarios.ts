import type { JsonSchema } from '../jsonSchema.ts';
import { s, int, b, obj, arr, ref, opt } from '../docs.ts';

/** Scenarios: their versions, problems and the state machine read from them. */
export const SCENARIOS_COMPONENTS: Record<string, JsonSchema> = {
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
            event: s(
              undefined,
              'an engine event; `always`: taken on entering the state (a designer flow step that moves on)',
            ),
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
            designerIntents: arr(
              s(undefined, "a designer intent (scenario `intents:`) that starts this transition's flow"),
            ),
          }),
          'intents',
          'menu',
          'designerIntents',
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
};
