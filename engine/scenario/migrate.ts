import * as v from 'valibot';
import { ChannelSchema, LangSchema, type Channel, type Lang } from '../catalog.ts';
import { CartLineSchema, ContextSchema, MAX_CART_LINES, type CartLine, type ConversationContext } from '../context.ts';
import type { Scenario } from './schema.ts';

/**
 * Reading a persisted conversation back. Anything that does not fit the current scenario is
 * reset to a safe state with a reason, never thrown: corrupted JSON shapes, snapshots of
 * another scenario, state names that no longer exist. An older scenario version keeps its
 * context when its state still exists (history trimmed to the new limit).
 */
export const PersistedSchema = v.object({
  scenarioId: v.string(),
  scenarioVersion: v.number(),
  snapshot: v.object({ value: v.unknown(), context: ContextSchema }),
});

export type Restored =
  | { kind: 'ok'; value: unknown; context: ConversationContext; migratedFrom?: number }
  | ({ kind: 'reset'; reason: string } & Salvaged);

/** what a reset conversation keeps: the shopper's channel, language, cart and known answers */
export type Salvaged = { channel?: Channel; lang?: Lang; cart?: CartLine[]; known?: Record<string, string> };

/** salvage what a reset keeps from a snapshot we cannot otherwise use */
function salvage(raw: unknown): Salvaged {
  const ctx = (
    raw as {
      snapshot?: { context?: { channel?: unknown; lang?: unknown; cart?: unknown; known?: unknown } };
    } | null
  )?.snapshot?.context;
  const out: Salvaged = {};
  const channel = v.safeParse(ChannelSchema, ctx?.channel);
  const lang = v.safeParse(LangSchema, ctx?.lang);
  const cart = v.safeParse(CartSchema, ctx?.cart);
  const known = v.safeParse(ContextSchema.entries.known, ctx?.known);
  if (channel.success) out.channel = channel.output;
  if (lang.success) out.lang = lang.output;
  if (cart.success && cart.output.length > 0) out.cart = cart.output;
  if (known.success && known.output && Object.keys(known.output).length > 0) out.known = known.output;
  return out;
}
const CartSchema = v.pipe(v.array(CartLineSchema), v.maxLength(MAX_CART_LINES));

/** shape and scenario checks; whether the state value exists is checked by the machine */
export function readPersisted(scenario: Scenario, raw: unknown): Restored {
  const parsed = v.safeParse(PersistedSchema, raw);
  if (!parsed.success) {
    const issue = parsed.issues[0];
    const where = issue ? (v.getDotPath(issue) ?? '(root)') : '(root)';
    return {
      kind: 'reset',
      reason: `unreadable snapshot at ${where}: ${issue?.message ?? 'invalid'}`,
      ...salvage(raw),
    };
  }
  const p = parsed.output;
  if (p.scenarioId !== scenario.id) {
    return {
      kind: 'reset',
      reason: `snapshot belongs to scenario "${p.scenarioId}", not "${scenario.id}"`,
      ...salvage(raw),
    };
  }
  const context = p.snapshot.context;
  if (p.scenarioVersion === scenario.version) return { kind: 'ok', value: p.snapshot.value, context };
  const limit = scenario.context[context.channel];
  const migrated: ConversationContext = { ...context, history: context.history.slice(-limit) };
  return { kind: 'ok', value: p.snapshot.value, context: migrated, migratedFrom: p.scenarioVersion };
}
