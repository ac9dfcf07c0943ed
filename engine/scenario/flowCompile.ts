import { LANGS } from '../catalog.ts';
import { durationMs } from './duration.ts';
import {
  ACT_KINDS,
  END,
  FINAL_ACTS,
  MAX_SLOTS_PER_FLOW,
  NAME,
  REMEMBERED_TYPES,
  type AskSpec,
  type Flow,
  type FlowAct,
  type FlowStep,
  type PerLang,
  type RawStep,
} from './flowSchema.ts';
import { unsafePattern } from './safePattern.ts';

/**
 * A designer's flow step by step into the shape the engine runs, with an error for everything a
 * designer can fix in the step itself: not exactly one of say/ask/branch/act, a text missing in a
 * language, an unknown act, a slot type without what it needs, an unsafe pattern. Checks across
 * steps (targets, reachability, slots, cycles) are in flowGraph.ts.
 */
export type FlowError = { path: string; message: string };
type RawText = { ru?: string; kk?: string; en?: string } | undefined;

function perLang(text: RawText, path: string, errors: FlowError[]): PerLang {
  for (const lang of LANGS) if (!text?.[lang]) errors.push({ path: `${path}.${lang}`, message: 'missing text' });
  return { ru: text?.ru ?? '', kk: text?.kk ?? '', en: text?.en ?? '' };
}

const KINDS = ['say', 'ask', 'branch', 'act'] as const;

function compileAct(raw: Record<string, unknown>, path: string, errors: FlowError[]): FlowAct | null {
  const keys = Object.keys(raw);
  const known = `known: ${ACT_KINDS.join(', ')}`;
  if (keys.length !== 1) {
    errors.push({ path, message: `an act does exactly one thing (${known}); found ${keys.length}` });
    return null;
  }
  const kind = keys[0] ?? '';
  const arg = raw[kind];
  const argPath = `${path}.${kind}`;
  const obj = (typeof arg === 'object' && arg !== null && !Array.isArray(arg) ? arg : null) as Record<
    string,
    unknown
  > | null;
  const noArgs = (k: 'lead' | 'escalate' | 'menu' | 'checkout' | 'order'): FlowAct | null => {
    if (arg === null || (obj && Object.keys(obj).length === 0)) return { kind: k };
    errors.push({ path: argPath, message: `"${k}" takes no arguments: write { ${k}: {} }` });
    return null;
  };
  switch (kind) {
    case 'lead':
    case 'escalate':
    case 'menu':
    case 'checkout':
    case 'order':
      return noArgs(kind);
    case 'flow':
      if (typeof arg === 'string' && NAME.test(arg)) return { kind, flow: arg };
      errors.push({ path: argPath, message: 'expected the name of a flow: { flow: <name> }' });
      return null;
    case 'track': {
      const name = obj?.name;
      if (typeof name === 'string' && /^[a-z0-9_]{1,64}$/.test(name)) return { kind, name };
      errors.push({ path: `${argPath}.name`, message: 'expected an event name of 1–64 a-z 0-9 _' });
      return null;
    }
    case 'search': {
      const query = obj?.query;
      if (typeof query === 'string' && query.trim() !== '' && query.length <= 200) return { kind, query };
      errors.push({ path: `${argPath}.query`, message: 'expected what to search for, e.g. "{fabric} ткань"' });
      return null;
    }
    case 'remind': {
      const after = obj?.after;
      const afterMs = typeof after === 'number' || typeof after === 'string' ? durationMs(after) : null;
      if (afterMs === null || afterMs <= 0)
        errors.push({ path: `${argPath}.after`, message: 'expected minutes or an ISO 8601 duration such as P1D' });
      const text = perLang(obj?.text as RawText, `${argPath}.text`, errors);
      for (const lang of LANGS)
        if (text[lang].length > 1_000)
          errors.push({ path: `${argPath}.text.${lang}`, message: 'a reminder is at most 1000 characters' });
      return afterMs ? { kind, afterMs, text } : null;
    }
    default:
      errors.push({ path: `${path}.${kind}`, message: `unknown act "${kind}" (${known})` });
      return null;
  }
}

function compileAsk(raw: NonNullable<RawStep['ask']>, path: string, errors: FlowError[]): AskSpec {
  const ask: AskSpec = {
    slot: raw.slot,
    type: raw.type,
    text: perLang(raw.text, `${path}.text`, errors),
    reask: perLang(raw.reask, `${path}.reask`, errors),
    otherwise: raw.otherwise ?? 'reask',
    ...(raw.remember ? { remember: true as const } : {}),
    ...(raw.pattern !== undefined ? { pattern: raw.pattern } : {}),
    ...(raw.min !== undefined ? { min: raw.min } : {}),
    ...(raw.max !== undefined ? { max: raw.max } : {}),
    ...(raw.choices
      ? {
          choices: raw.choices.map((c, i) => ({
            id: c.id,
            label: perLang(c.label, `${path}.choices.${i}.label`, errors),
          })),
        }
      : {}),
  };
  if (raw.type === 'choice' && !raw.choices)
    errors.push({ path: `${path}.choices`, message: 'a choice question needs choices' });
  if (raw.type !== 'choice' && raw.choices)
    errors.push({ path: `${path}.choices`, message: `choices belong to type choice, not ${raw.type}` });
  if (raw.pattern !== undefined) {
    if (raw.type !== 'text') errors.push({ path: `${path}.pattern`, message: 'a pattern belongs to type text' });
    const why = unsafePattern(raw.pattern);
    if (why) errors.push({ path: `${path}.pattern`, message: `pattern refused: ${why}` });
  }
  if ((raw.min !== undefined || raw.max !== undefined) && raw.type !== 'number')
    errors.push({
      path: `${path}.${raw.min !== undefined ? 'min' : 'max'}`,
      message: 'min and max belong to type number',
    });
  if (raw.remember && !REMEMBERED_TYPES.includes(raw.type))
    errors.push({
      path: `${path}.remember`,
      message: `remember belongs to types ${REMEMBERED_TYPES.join(', ')} (a ${raw.type} answer is asked afresh)`,
    });
  if (raw.min !== undefined && raw.max !== undefined && raw.min > raw.max)
    errors.push({ path: `${path}.min`, message: `min ${raw.min} is above max ${raw.max}` });
  const ids = new Set<string>();
  raw.choices?.forEach((c, i) => {
    if (ids.has(c.id)) errors.push({ path: `${path}.choices.${i}.id`, message: `duplicate choice id "${c.id}"` });
    ids.add(c.id);
  });
  return ask;
}

function compileStep(raw: RawStep, path: string, errors: FlowError[]): FlowStep | null {
  const kinds = KINDS.filter((k) => raw[k] !== undefined);
  if (kinds.length !== 1) {
    errors.push({
      path,
      message:
        kinds.length === 0
          ? 'a step needs one of say, ask, branch, act'
          : `a step does one thing; found ${kinds.join(' and ')}`,
    });
    return null;
  }
  const kind = kinds[0];
  if (kind !== 'say' && (raw.buttons || raw.image))
    errors.push({
      path: `${path}.${raw.buttons ? 'buttons' : 'image'}`,
      message: 'buttons and an image belong to a say step',
    });
  const next = raw.next;
  switch (kind) {
    case 'say': {
      const buttons = raw.buttons?.map((b, i) => ({
        id: b.id,
        label: perLang(b.label, `${path}.buttons.${i}.label`, errors),
        next: b.next,
      }));
      const ids = new Set<string>();
      raw.buttons?.forEach((b, i) => {
        if (ids.has(b.id) || b.id === 'cancel')
          errors.push({ path: `${path}.buttons.${i}.id`, message: `button id "${b.id}" is used twice or reserved` });
        ids.add(b.id);
      });
      if (buttons && next !== undefined)
        errors.push({ path: `${path}.next`, message: 'a step with buttons goes where its buttons say; remove next' });
      if (!buttons && next === undefined)
        errors.push({ path: `${path}.next`, message: `say where to go next (a step id or ${END})` });
      return {
        kind,
        id: raw.id,
        text: perLang(raw.say, `${path}.say`, errors),
        ...(raw.image ? { image: raw.image } : {}),
        ...(buttons ? { buttons } : {}),
        ...(next !== undefined ? { next } : {}),
      };
    }
    case 'ask':
      if (next === undefined)
        errors.push({ path: `${path}.next`, message: `say where to go next (a step id or ${END})` });
      return { kind, id: raw.id, ask: compileAsk(raw.ask!, `${path}.ask`, errors), next: next ?? END };
    case 'branch': {
      if (next !== undefined)
        errors.push({ path: `${path}.next`, message: 'a branch goes where its cases and else say; remove next' });
      const b = raw.branch!;
      return { kind, id: raw.id, slot: b.slot, cases: b.cases, else: b.else };
    }
    case 'act': {
      const act = compileAct(raw.act!, `${path}.act`, errors);
      if (!act) return null;
      const final = FINAL_ACTS.includes(act.kind);
      if (final && next !== undefined)
        errors.push({ path: `${path}.next`, message: `after "${act.kind}" the flow is over; remove next` });
      if (!final && next === undefined)
        errors.push({ path: `${path}.next`, message: `say where to go next (a step id or ${END})` });
      return { kind, id: raw.id, act, ...(next !== undefined ? { next } : {}) };
    }
    default:
      return null;
  }
}

/** a flow's steps in the engine's shape, with the errors found in them one by one */
export function compileFlow(name: string, steps: readonly RawStep[], errors: FlowError[]): Flow {
  const path = `flows.${name}.steps`;
  const seen = new Set<string>();
  const compiled: FlowStep[] = [];
  steps.forEach((raw, i) => {
    if (raw.id === END) errors.push({ path: `${path}.${i}.id`, message: `"${END}" is reserved: it ends the flow` });
    else if (seen.has(raw.id)) errors.push({ path: `${path}.${i}.id`, message: `duplicate step id "${raw.id}"` });
    seen.add(raw.id);
    const step = compileStep(raw, `${path}.${i}`, errors);
    if (step) compiled.push(step);
  });
  const slots = new Set(compiled.flatMap((s) => (s.kind === 'ask' ? [s.ask.slot] : [])));
  if (slots.size > MAX_SLOTS_PER_FLOW)
    errors.push({ path, message: `at most ${MAX_SLOTS_PER_FLOW} slots in a flow; this one asks ${slots.size}` });
  return { name, entry: steps[0]?.id ?? END, steps: compiled };
}
