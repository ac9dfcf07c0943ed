import type * as v from 'valibot';
import { compileFlow, type FlowError } from './flowCompile.ts';
import { checkFlowGraph } from './flowGraph.ts';
import { MAX_FLOWS, MAX_STEPS, MAX_STEPS_PER_FLOW, type Flow, type RawFlowsSchema } from './flowSchema.ts';

/**
 * Designer flows at load: refused early when there are too many to check, compiled step by step
 * (flowCompile.ts), checked across steps and flows (flowGraph.ts), and every reference to a flow
 * from outside — a menu item, a designer intent, the survey after a resolved hand-off — resolved.
 */

/**
 * Counted on the raw document before anything else is validated, so a scenario of 10,000 steps is
 * refused at once with a clear reason instead of being checked step by step.
 */
export function tooManySteps(raw: unknown): FlowError | null {
  const flows = (raw as { flows?: unknown } | null)?.flows;
  if (typeof flows !== 'object' || flows === null) return null;
  const entries = Object.entries(flows);
  if (entries.length > MAX_FLOWS)
    return { path: 'flows', message: `at most ${MAX_FLOWS} flows; this scenario has ${entries.length}` };
  let total = 0;
  for (const [name, flow] of entries) {
    const steps = (flow as { steps?: unknown } | null)?.steps;
    const count = Array.isArray(steps) ? steps.length : 0;
    if (count > MAX_STEPS_PER_FLOW)
      return {
        path: `flows.${name}.steps`,
        message: `at most ${MAX_STEPS_PER_FLOW} steps in a flow; this one has ${count}`,
      };
    total += count;
  }
  return total > MAX_STEPS
    ? { path: 'flows', message: `at most ${MAX_STEPS} steps in all flows; this scenario has ${total}` }
    : null;
}

export type FlowRefs = {
  menu: readonly { id: string; action: { flow: string; name?: string } }[];
  intents: Readonly<Record<string, { flow?: string | undefined }>>;
  afterResolved: string | undefined;
};

export function checkFlows(
  raw: v.InferOutput<typeof RawFlowsSchema>,
  refs: FlowRefs,
): { flows: Record<string, Flow>; errors: FlowError[] } {
  const errors: FlowError[] = [];
  const flows: Record<string, Flow> = {};
  for (const [name, flow] of Object.entries(raw)) flows[name] = compileFlow(name, flow.steps, errors);
  checkFlowGraph(flows, errors);

  const known = Object.keys(flows);
  const unknown = (name: string) =>
    `unknown flow "${name}" (${known.length > 0 ? `known: ${known.join(', ')}` : 'the scenario has no flows'})`;
  refs.menu.forEach((item, i) => {
    if (item.action.flow === 'designer' && !Object.hasOwn(flows, item.action.name ?? ''))
      errors.push({ path: `menu.${i}.action.name`, message: unknown(item.action.name ?? '') });
  });
  for (const [intent, spec] of Object.entries(refs.intents))
    if (spec.flow !== undefined && !Object.hasOwn(flows, spec.flow))
      errors.push({ path: `intents.${intent}.flow`, message: unknown(spec.flow) });
  if (refs.afterResolved !== undefined && !Object.hasOwn(flows, refs.afterResolved))
    errors.push({ path: 'escalation.afterResolved', message: unknown(refs.afterResolved) });
  return { flows, errors };
}
