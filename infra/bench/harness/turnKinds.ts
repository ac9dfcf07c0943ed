import { LatencyRecorder, type SerializedRecorder } from './latency.ts';

/**
 * The load bench's message labels (`tg search`, `wa phone` …, see shoppers.ts) grouped into the
 * turn kinds the sell issue compares: browsing a search, adding to the cart, answering one of the
 * checkout's questions, and placing the order. Latency is what the bench attributes per message;
 * server CPU is measured per phase, not per message.
 */
export const TURN_KINDS = {
  search: ['search', 'refine', 'cheaper'],
  cart: ['cart'],
  'checkout answer': ['checkout', 'delivery', 'address', 'name', 'phone', 'payment'],
  'place order': ['place'],
} as const satisfies Record<string, readonly string[]>;
export type TurnKind = keyof typeof TURN_KINDS;

const kindOf = (label: string): TurnKind | undefined => {
  const bare = label.replace(/^(tg|wa) /, '');
  return (Object.keys(TURN_KINDS) as TurnKind[]).find((k) => (TURN_KINDS[k] as readonly string[]).includes(bare));
};

/** one recorder per turn kind, both channels together; kinds no message had are left out */
export function byTurnKind(byLabel: Record<string, SerializedRecorder>): Map<TurnKind, LatencyRecorder> {
  const out = new Map<TurnKind, LatencyRecorder>();
  for (const [label, rec] of Object.entries(byLabel)) {
    const kind = kindOf(label);
    if (!kind) continue;
    let r = out.get(kind);
    if (!r) out.set(kind, (r = new LatencyRecorder()));
    r.merge(rec);
  }
  return new Map((Object.keys(TURN_KINDS) as TurnKind[]).flatMap((k) => (out.has(k) ? [[k, out.get(k)!]] : [])));
}
