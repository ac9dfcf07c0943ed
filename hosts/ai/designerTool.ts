import * as v from 'valibot';
import type { ScenarioIntent, ScenarioIntents } from '../../engine/scenario/intents.ts';
import type { ParsedToolCall, Tool } from './tools.ts';

/**
 * The scenario's own intents as one more tool choice: `scenario_intent` with an enum of their names,
 * each described by a few of its examples. Built once per scenario's intents object (cached by it);
 * the answer must name one of them, else it is invalid and the rules brain answers.
 */

export const DESIGNER_TOOL = 'scenario_intent';

/** examples per intent in the description: enough for the model, bounded for 100 intents */
const EXAMPLES_SHOWN = 4;
const EXAMPLE_CHARS = 60;

const built = new WeakMap<ScenarioIntents, Tool>();

function describe([name, intent]: [string, ScenarioIntent]): string {
  const examples = [intent.examples.ru[0], intent.examples.kk[0], intent.examples.en[0], ...intent.examples.ru.slice(1)]
    .filter((e): e is string => e !== undefined)
    .slice(0, EXAMPLES_SHOWN)
    .map((e) => `«${e.slice(0, EXAMPLE_CHARS)}»`);
  return `${name}: ${examples.join(', ')}`;
}

export function designerTool(intents: ScenarioIntents): Tool | undefined {
  let tool = built.get(intents);
  if (!tool) {
    const entries = Object.entries(intents);
    if (entries.length === 0) return undefined;
    tool = {
      type: 'function',
      function: {
        name: DESIGNER_TOOL,
        description:
          "The shop's own topics, each shown with examples of what shoppers write. Use it when the message is about one of them; product searches, managers and price alerts keep their own tools.",
        parameters: {
          type: 'object',
          properties: {
            intent: {
              type: 'string',
              enum: entries.map(([name]) => name),
              description: entries.map(describe).join('; '),
            },
            angry: { type: 'boolean' },
          },
          required: ['intent'],
          additionalProperties: false,
        },
      },
    };
    built.set(intents, tool);
  }
  return tool;
}

const ArgsSchema = v.object({ intent: v.pipe(v.string(), v.maxLength(64)), angry: v.optional(v.boolean()) });

/** The model's `scenario_intent` call as the designer intent it names. */
export function parseDesignerCall(rawArgs: string, intents: ScenarioIntents): ParsedToolCall {
  let json: unknown;
  try {
    json = rawArgs.trim() === '' ? {} : JSON.parse(rawArgs);
  } catch {
    return { ok: false, reason: 'invalid_json', detail: `${DESIGNER_TOOL}: arguments are not JSON` };
  }
  const parsed = v.safeParse(ArgsSchema, json);
  if (!parsed.success)
    return { ok: false, reason: 'invalid_args', detail: `${DESIGNER_TOOL}: ${parsed.issues[0].message}`.slice(0, 200) };
  const name = parsed.output.intent;
  if (!Object.hasOwn(intents, name))
    return {
      ok: false,
      reason: 'invalid_args',
      detail: `${DESIGNER_TOOL}: "${name}" is not an intent of the scenario`,
    };
  return { ok: true, intent: { name: 'designer', args: { intent: name } }, angry: parsed.output.angry === true };
}
