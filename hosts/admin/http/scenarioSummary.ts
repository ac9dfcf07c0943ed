import type { Scenario } from '../../../engine/index.ts';

export type ScenarioSummary = {
  id: string; version: number; name: string; defaultLang: string;
  states: { id: string; kind: 'start' | 'menu' | 'flow' | 'terminal'; label: string }[];
  transitions: { from: string; to: string; on: string }[];
  menu: { id: string; label: Record<string, string>; flow: string }[];
  texts: Record<string, Record<string, string>>;
  context: Record<string, number>;
};

/**
 * What the panel draws: the dialogue hub, the flows intents and menu buttons lead to, and the
 * hand-off to a manager and back. Derived from the parsed scenario, so it is never out of date.
 */
export function summarizeScenario(s: Scenario): ScenarioSummary {
  const states = new Map<string, ScenarioSummary['states'][number]>();
  const transitions: ScenarioSummary['transitions'] = [];
  const add = (id: string, kind: ScenarioSummary['states'][number]['kind'], label = id) => {
    if (!states.has(id)) states.set(id, { id, kind, label });
  };
  add('start', 'start', 'start');
  add('dialogue', 'menu', 'dialogue (menu)');
  transitions.push({ from: 'start', to: 'dialogue', on: 'first message' });
  for (const [intent, route] of Object.entries(s.routing)) {
    const target = route === 'escalate' ? 'escalation' : route === 'menu' ? 'dialogue' : route;
    add(target, target === 'bye' ? 'terminal' : 'flow');
    transitions.push({ from: 'dialogue', to: target, on: `intent:${intent}` });
  }
  for (const item of s.menu) {
    const target = item.action.flow === 'info' ? `info:${item.action.text}` : item.action.flow;
    add(target, 'flow', item.action.flow === 'info' ? `info (${item.action.text})` : target);
    transitions.push({ from: 'dialogue', to: target, on: `menu:${item.id}` });
  }
  add('manager', 'flow', 'manager talking (bot paused)');
  transitions.push({ from: 'escalation', to: 'manager', on: 'escalation opened' });
  transitions.push({ from: 'manager', to: 'dialogue', on: 'manager.resolved' });
  for (const state of states.values()) {
    if (state.kind === 'flow' && state.id !== 'manager' && state.id !== 'escalation') transitions.push({ from: state.id, to: 'dialogue', on: 'done' });
  }
  return {
    id: s.id, version: s.version, name: s.name, defaultLang: s.defaultLang,
    states: [...states.values()], transitions,
    menu: s.menu.map((m) => ({ id: m.id, label: { ...m.label }, flow: m.action.flow })),
    texts: Object.fromEntries(Object.entries(s.texts).map(([lang, t]) => [lang, { ...t }])),
    context: { ...s.context },
  };
}
