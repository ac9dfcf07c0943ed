import { describe, expect, it } from 'vitest';
import { loadDefaultScenario } from '../../scenarios/engine-testkit.ts';
import { alertActions } from '../flows/priceAlert.ts';
import { dialogueActions } from '../flows/dialogue.ts';
import { escalationActions } from '../flows/escalation.ts';
import { imageActions } from '../flows/imageLookup.ts';
import { searchActions } from '../flows/search.ts';
import { turnActions } from '../flows/turn.ts';
import { machineFor, type EngineMachine } from './machine.ts';

/** The chart's actions: every one is named, implemented, and defined by exactly one flow. */
type Node = EngineMachine['root'];
type ActionRef = string | { type: string } | ((...args: never[]) => unknown);

function actionsOf(node: Node): ActionRef[] {
  const own = [...node.transitions.values()].flat().flatMap((t) => t.actions as ActionRef[]);
  return [
    ...own,
    ...(node.entry as ActionRef[]),
    ...(node.exit as ActionRef[]),
    ...Object.values(node.states).flatMap(actionsOf),
  ];
}

describe('named actions', () => {
  const machine = machineFor(loadDefaultScenario());
  const used = actionsOf(machine.root);

  it('are referred to by name in the machine config, never inline', () => {
    expect(used.length).toBeGreaterThan(50);
    expect(used.filter((a) => typeof a === 'function')).toEqual([]);
  });

  it('each have an implementation in the built machine, and every one defined is used', () => {
    const names = new Set(used.map((a) => (typeof a === 'string' ? a : (a as { type: string }).type)));
    const implemented = Object.keys(machine.implementations.actions);
    expect([...names].filter((n) => !implemented.includes(n))).toEqual([]);
    // `effect` is what the others enqueue; everything else a flow defines is taken by some transition
    expect(implemented.filter((n) => n !== 'effect' && !names.has(n))).toEqual([]);
  });

  it('are defined by one flow each: no flow shadows another’s action', () => {
    const tables = [turnActions, dialogueActions, searchActions, alertActions, imageActions, escalationActions];
    const all = tables.flatMap((t) => Object.keys(t));
    expect(all.filter((n, i) => all.indexOf(n) !== i)).toEqual([]);
  });
});
