import { LANGS } from '../catalog.ts';
import { CHECKOUT_VARS, END, ORDER_SLOTS, type Flow, type FlowStep, type PerLang } from './flowSchema.ts';
import type { FlowError } from './flowCompile.ts';

/**
 * Checks across a flow's steps, and across flows, that a designer can act on: a `next` that names
 * no step, a step nothing leads to, a step from which the flow can never end, a `{slot}` (or a
 * branch) that reads a slot not asked on every path before it, and a loop of steps that never
 * waits for the shopper — which would spin forever inside one turn.
 */
const SLOT_PLACEHOLDER = /\{([a-z0-9_]+)\}/g;
const pathOf = (flow: Flow, step: FlowStep) => `flows.${flow.name}.steps.${flow.steps.indexOf(step)}`;

/** where a step can go inside its flow (END included) */
export function targetsOf(step: FlowStep): string[] {
  switch (step.kind) {
    case 'say':
      return step.buttons ? step.buttons.map((b) => b.next) : step.next ? [step.next] : [];
    case 'ask':
      return [step.next];
    case 'branch':
      return [...step.cases.map((c) => c.next), step.else];
    case 'act':
      return step.next ? [step.next] : [];
  }
}

/** a step the conversation rests in until the shopper answers */
export const waits = (step: FlowStep) => step.kind === 'ask' || (step.kind === 'say' && step.buttons !== undefined);
/** the step leaves the flow by itself: ends it, or an act that hands the conversation elsewhere */
const leaves = (step: FlowStep) => targetsOf(step).includes(END) || (step.kind === 'act' && step.next === undefined);

/** every text of a step with where it is, for placeholder checks */
function textsOf(step: FlowStep, path: string): { path: string; text: string }[] {
  const each = (t: PerLang, p: string) => LANGS.map((lang) => ({ path: `${p}.${lang}`, text: t[lang] }));
  switch (step.kind) {
    case 'say':
      return [
        ...each(step.text, `${path}.say`),
        ...(step.buttons ?? []).flatMap((b, i) => each(b.label, `${path}.buttons.${i}.label`)),
      ];
    case 'ask':
      return [
        ...each(step.ask.text, `${path}.ask.text`),
        ...each(step.ask.reask, `${path}.ask.reask`),
        ...(step.ask.choices ?? []).flatMap((c, i) => each(c.label, `${path}.ask.choices.${i}.label`)),
      ];
    case 'branch':
      return [];
    case 'act':
      if (step.act.kind === 'remind') return each(step.act.text, `${path}.act.remind.text`);
      if (step.act.kind === 'search') return [{ path: `${path}.act.search.query`, text: step.act.query }];
      return [];
  }
}

function checkTargets(flow: Flow, flows: Readonly<Record<string, Flow>>, errors: FlowError[]): void {
  const ids = new Set(flow.steps.map((s) => s.id));
  for (const step of flow.steps) {
    const path = pathOf(flow, step);
    for (const target of targetsOf(step))
      if (target !== END && !ids.has(target))
        errors.push({
          path,
          message: `step "${step.id}" goes to "${target}", which is no step of flow "${flow.name}"`,
        });
    if (step.kind === 'act' && step.act.kind === 'flow' && !Object.hasOwn(flows, step.act.flow))
      errors.push({ path: `${path}.act.flow`, message: `unknown flow "${step.act.flow}"` });
  }
}

function checkReach(flow: Flow, errors: FlowError[]): void {
  const byId = new Map(flow.steps.map((s) => [s.id, s]));
  const reached = new Set<string>([flow.entry]);
  const queue = [flow.entry];
  while (queue.length > 0) {
    const step = byId.get(queue.pop() ?? '');
    for (const t of step ? targetsOf(step) : [])
      if (!reached.has(t) && byId.has(t)) {
        reached.add(t);
        queue.push(t);
      }
  }
  // reverse: from which steps can the flow be left at all?
  const out = new Set(flow.steps.filter(leaves).map((s) => s.id));
  let grew = true;
  while (grew) {
    grew = false;
    for (const step of flow.steps)
      if (!out.has(step.id) && targetsOf(step).some((t) => out.has(t))) {
        out.add(step.id);
        grew = true;
      }
  }
  for (const step of flow.steps) {
    const path = pathOf(flow, step);
    if (!reached.has(step.id))
      errors.push({ path, message: `step "${step.id}" is unreachable: no step of flow "${flow.name}" leads to it` });
    else if (!out.has(step.id))
      errors.push({ path, message: `step "${step.id}" has no way out: from it flow "${flow.name}" never ends` });
  }
}

/** slots asked on every path to each step (a forward must-analysis), then every use checked against them */
function checkSlots(flow: Flow, errors: FlowError[]): void {
  const all = new Set(flow.steps.flatMap((s) => (s.kind === 'ask' ? [s.ask.slot] : [])));
  const before = new Map<string, Set<string>>(flow.steps.map((s) => [s.id, new Set(all)]));
  before.set(flow.entry, new Set());
  const byId = new Map(flow.steps.map((s) => [s.id, s]));
  let changed = true;
  // sets only shrink, so this ends
  while (changed) {
    changed = false;
    for (const step of flow.steps) {
      const after = new Set(before.get(step.id));
      if (step.kind === 'ask') after.add(step.ask.slot);
      for (const t of targetsOf(step)) {
        const known = before.get(t);
        if (!known || !byId.has(t)) continue;
        for (const slot of known)
          if (!after.has(slot)) {
            known.delete(slot);
            changed = true;
          }
      }
    }
  }
  // a checkout flow's texts may name the cart, its total, the chosen store and payment anywhere
  const checkout = flow.steps.some((s) => s.kind === 'act' && s.act.kind === 'checkout');
  const vars: readonly string[] = checkout ? CHECKOUT_VARS.filter((v) => !all.has(v)) : [];
  for (const step of flow.steps) {
    const path = pathOf(flow, step);
    const known = before.get(step.id) ?? new Set<string>();
    const uses = textsOf(step, path)
      .flatMap(({ path: p, text }) => [...text.matchAll(SLOT_PLACEHOLDER)].map((m) => ({ path: p, slot: m[1] ?? '' })))
      .filter((use) => !vars.includes(use.slot));
    if (step.kind === 'branch') uses.push({ path: `${path}.branch.slot`, slot: step.slot });
    if (step.kind === 'act' && step.act.kind === 'order')
      for (const slot of ORDER_SLOTS) uses.push({ path: `${path}.act.order`, slot });
    const seen = new Set<string>();
    for (const use of uses) {
      if (known.has(use.slot) || seen.has(`${use.path}/${use.slot}`)) continue;
      seen.add(`${use.path}/${use.slot}`);
      errors.push({
        path: use.path,
        message: all.has(use.slot)
          ? `slot "${use.slot}" is used before it is asked on every path to step "${step.id}"`
          : `slot "${use.slot}" is never asked in flow "${flow.name}"`,
      });
    }
  }
}

/**
 * Steps that do not wait for the shopper run one after another inside a turn; a loop of them
 * (through branches, acts and `flow` jumps, across flows) would never end. Found with a DFS over
 * the non-waiting steps of every flow.
 */
function checkSpins(flows: Readonly<Record<string, Flow>>, errors: FlowError[]): void {
  const key = (flow: string, step: string) => `${flow}/${step}`;
  const nodes = new Map<string, { flow: Flow; step: FlowStep }>();
  for (const flow of Object.values(flows))
    for (const step of flow.steps) if (!waits(step)) nodes.set(key(flow.name, step.id), { flow, step });
  const next = (flow: Flow, step: FlowStep): string[] => {
    const own = targetsOf(step).map((t) => key(flow.name, t));
    if (step.kind === 'act' && step.act.kind === 'flow') {
      const other = flows[step.act.flow];
      if (other) own.push(key(other.name, other.entry));
    }
    return own.filter((k) => nodes.has(k));
  };
  const state = new Map<string, 'open' | 'done'>();
  const reported = new Set<string>();
  for (const start of nodes.keys()) {
    if (state.has(start)) continue;
    // iterative DFS: 10,000 chained steps must not overflow the stack
    const stack: { id: string; rest: string[] }[] = [];
    const enter = (id: string) => {
      const node = nodes.get(id)!;
      state.set(id, 'open');
      stack.push({ id, rest: next(node.flow, node.step) });
    };
    enter(start);
    while (stack.length > 0) {
      const top = stack[stack.length - 1]!;
      const t = top.rest.pop();
      if (t === undefined) {
        state.set(top.id, 'done');
        stack.pop();
        continue;
      }
      if (state.get(t) === 'open' && !reported.has(t)) {
        reported.add(t);
        const loop = stack.slice(stack.findIndex((f) => f.id === t)).map((f) => f.id);
        const node = nodes.get(t)!;
        errors.push({
          path: pathOf(node.flow, node.step),
          message: `these steps loop without asking anything, so the bot would never stop: ${[...loop, t].join(' → ')}`,
        });
      } else if (!state.has(t)) enter(t);
    }
  }
}

/**
 * The checkout's own rules: store and payment questions and the order read what the `checkout` act
 * loaded, so a flow with them has one; the order needs somewhere to deliver to or pick up at.
 */
function checkCheckout(flow: Flow, errors: FlowError[]): void {
  const acts = (kind: string) => flow.steps.filter((s) => s.kind === 'act' && s.act.kind === kind);
  const hasCheckout = acts('checkout').length > 0;
  for (const step of flow.steps) {
    const path = pathOf(flow, step);
    const needs =
      step.kind === 'ask' && (step.ask.type === 'store' || step.ask.type === 'payment')
        ? `a ${step.ask.type} question`
        : step.kind === 'act' && step.act.kind === 'order'
          ? 'an order'
          : null;
    if (needs && !hasCheckout)
      errors.push({
        path,
        message: `${needs} needs the cart and the city's options: add a step { act: { checkout: {} } } before it`,
      });
  }
  if (acts('order').length === 0) return;
  const asked = new Set(flow.steps.flatMap((s) => (s.kind === 'ask' ? [s.ask.slot] : [])));
  if (!asked.has('address') && !asked.has('store'))
    errors.push({
      path: pathOf(flow, acts('order')[0]!),
      message: 'an order needs an "address" question (delivery) or a "store" question (pickup)',
    });
}

export function checkFlowGraph(flows: Readonly<Record<string, Flow>>, errors: FlowError[]): void {
  for (const flow of Object.values(flows)) {
    checkTargets(flow, flows, errors);
    checkReach(flow, errors);
    checkSlots(flow, errors);
    checkCheckout(flow, errors);
  }
  checkSpins(flows, errors);
}
