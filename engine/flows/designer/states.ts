import { LANGS } from '../../catalog.ts';
import type { Kit } from '../../machine/kit.ts';
import { labelWords } from '../../machine/read.ts';
import { engine } from '../../machine/setup.ts';
import { flowEntry, flowStep, IDLE, REQUESTING, SEARCHING, UNDERSTANDING } from '../../machine/stateIds.ts';
import { END, type Flow, type FlowStep } from '../../scenario/flowSchema.ts';
import { askSpec } from './spec.ts';
import { cancelWords, managerWords } from './wayOut.ts';

/**
 * Designer flows compiled to XState states under `flows.<flow>.<step>`, built from the scenario
 * when its machine is built. A step that waits for the shopper (a question, a say with buttons)
 * is a state with `on` transitions; the others (say, branch, act) do their work on entry and move
 * on at once (`always`), so one shopper message runs until the next question — load checks
 * (flowGraph.ts) make sure no such run loops. Every transition names its guard and action with
 * params, so the scenario diagram draws flows from this machine like the built-in ones.
 *
 *   flows.<flow>.<ask> ── text|choice|image answers ──▶ next step     (anything else: asked again)
 *   flows.<flow>.<ask> ── cancel ──▶ idle · manager ──▶ escalation.requesting
 *   flows.<flow>.<say+buttons> ── button ──▶ its step · flows.<flow>.<branch> ── slot ──▶ a case | else
 */
type Config = Record<string, unknown>;
const turn = (...actions: unknown[]) => ['startTurn', ...actions];

/** where `next` goes: a step of the flow, or the end (the menu, after `endFlow`) */
function go(flow: Flow, next: string, menu: boolean, actions: unknown[] = []): Config {
  if (next === END) return { target: IDLE, actions: [...actions, { type: 'endFlow', params: { menu } }] };
  return { target: flowStep(flow.name, next), actions };
}

function askState(k: Kit, flow: Flow, step: Extract<FlowStep, { kind: 'ask' }>): Config {
  const at = { flow: flow.name, step: step.id };
  const answer = { type: 'flowAnswer', params: askSpec(k, step.ask) };
  const answered = { guard: answer, ...go(flow, step.next, true, turn({ type: 'flowStore', params: at })) };
  const cancel = { target: IDLE, actions: turn('flowCancel') };
  const manager = { target: REQUESTING, actions: turn('flowEscalate') };
  const photo = step.ask.type === 'photo';
  // a remembered question's known answer comes as a tap too (its button, KNOWN_ANSWER)
  const tapped = ['choice', 'store', 'payment'].includes(step.ask.type) || step.ask.remember === true;
  const leave = step.ask.otherwise === 'leave';
  const reask = { actions: turn({ type: 'flowReask', params: at }) };
  return {
    entry: { type: 'flowAsk', params: at },
    on: {
      text: [
        { guard: { type: 'flowCancel', params: { words: cancelWords(k) } }, ...cancel },
        // a question that lets other messages go (`otherwise: leave`) lets the brain hear «менеджер» too
        ...(leave ? [] : [{ guard: { type: 'flowManager', params: { words: managerWords(k) } }, ...manager }]),
        ...(photo ? [] : [answered]),
        leave
          ? { guard: { type: 'emptyText' }, actions: turn({ type: 'flowReask', params: at }) }
          : { actions: turn({ type: 'flowReask', params: at }) },
        // `otherwise: leave`: the message is the shopper's own — understood as usual, the flow left
        ...(leave ? [{ target: UNDERSTANDING, actions: turn('leaveFlow', 'askUnderstanding') }] : []),
      ],
      choice: [
        { guard: { type: 'choice', params: { id: 'cancel' } }, ...cancel },
        { guard: { type: 'choice', params: { id: 'm' } }, ...manager },
        ...(tapped ? [answered] : []),
      ],
      ...(photo ? { image: [answered] } : {}),
      // a shared contact answers a phone question when it is the shopper's own; anyone else's is asked again
      ...(step.ask.type === 'phone' ? { contact: [answered, reask] } : {}),
    },
  };
}

function sayState(flow: Flow, step: Extract<FlowStep, { kind: 'say' }>): Config {
  const entry = { type: 'flowSay', params: { flow: flow.name, step: step.id } };
  if (!step.buttons) return { entry, always: go(flow, step.next ?? END, false) };
  const taps = step.buttons.map((b) => ({
    guard: { type: 'flowButton', params: { id: b.id, labels: [...new Set(LANGS.map((l) => labelWords(b.label[l])))] } },
    ...go(flow, b.next, true, turn()),
  }));
  // a typed label reads as the tap; any other text is the shopper's own message (the root decides)
  return { entry, on: { choice: taps, text: taps } };
}

/** an act that waits for the host: a result it moves on with, and the failure it ends on */
const failed = (effect: string, actions: string) => ({
  guard: { type: 'effectFailed', params: { effect } },
  target: IDLE,
  actions,
});

function actState(k: Kit, flow: Flow, step: Extract<FlowStep, { kind: 'act' }>): Config {
  const entry = { type: 'flowAct', params: { flow: flow.name, step: step.id } };
  switch (step.act.kind) {
    case 'checkout':
      return {
        entry,
        on: {
          'checkout.ready': [
            { guard: 'somethingLeft', ...go(flow, step.next ?? END, true, ['checkoutReady']) },
            // guards read the context before the actions: an empty cart, not a sold-out one
            { guard: 'cartEmpty', target: IDLE, actions: 'checkoutEmpty' },
            { target: IDLE, actions: ['checkoutReady', 'checkoutNothingLeft'] },
          ],
          'effect.failed': failed('prepareCheckout', 'checkoutFailed'),
        },
      };
    case 'order': {
      // placing waits for the host; a refusal for changed prices asks to confirm the new total
      const placing = `${flowStep(flow.name, step.id)}.placing`;
      const labels = [...new Set(LANGS.map((l) => labelWords(k.s.texts[l].btnConfirmOrder ?? '')))];
      return {
        initial: 'placing',
        states: {
          placing: {
            entry,
            on: {
              'order.placed': { target: IDLE, actions: 'orderPlaced' },
              'order.refused': [
                { guard: 'somethingLeft', target: 'confirming', actions: 'orderChanged' },
                { target: IDLE, actions: 'checkoutNothingLeft' },
              ],
              'effect.failed': failed('placeOrder', 'orderFailed'),
            },
          },
          confirming: {
            on: {
              choice: [
                { guard: { type: 'choice', params: { id: 'f:order-confirm' } }, target: placing, actions: turn() },
                { guard: { type: 'choice', params: { id: 'cancel' } }, target: IDLE, actions: turn('flowCancel') },
              ],
              text: [
                {
                  guard: { type: 'flowButton', params: { id: 'order-confirm', labels } },
                  target: placing,
                  actions: turn(),
                },
                {
                  guard: { type: 'flowCancel', params: { words: cancelWords(k) } },
                  target: IDLE,
                  actions: turn('flowCancel'),
                },
              ],
            },
          },
        },
      };
    }
    case 'escalate':
      return { entry, always: { target: REQUESTING } };
    case 'search':
      return { entry, always: { target: SEARCHING } };
    case 'menu':
      return { entry, always: { target: IDLE } };
    case 'flow':
      return {
        entry,
        always: { target: flowEntry(step.act.flow), actions: { type: 'startFlow', params: { flow: step.act.flow } } },
      };
    default:
      return { entry, always: go(flow, step.next ?? END, true) };
  }
}

function stepState(k: Kit, flow: Flow, step: FlowStep): Config {
  switch (step.kind) {
    case 'ask':
      return askState(k, flow, step);
    case 'say':
      return sayState(flow, step);
    case 'act':
      return actState(k, flow, step);
    case 'branch':
      return {
        always: [
          ...step.cases.map((c) => ({
            guard: { type: 'slotEquals', params: { slot: step.slot, equals: c.equals } },
            ...go(flow, c.next, true),
          })),
          go(flow, step.else, true),
        ],
      };
  }
}

/** the `flows` state of the machine, or nothing when the scenario has no flows */
export function designerStates(k: Kit) {
  const flows = Object.values(k.s.flows);
  if (flows.length === 0) return null;
  const states: Record<string, Config> = {};
  for (const flow of flows) {
    const steps: Record<string, Config> = {};
    for (const step of flow.steps) steps[step.id] = stepState(k, flow, step);
    states[flow.name] = { initial: flow.entry, states: steps };
  }
  return engine.createStateConfig({ initial: flows[0]?.name, states } as Parameters<
    typeof engine.createStateConfig
  >[0]);
}
