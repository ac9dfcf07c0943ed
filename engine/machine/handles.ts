import type { Effect } from '../effects.ts';
import type { ConversationContext } from '../context.ts';

/**
 * Card buttons carry a short product handle instead of the raw SKU: Telegram drops a button whose
 * data exceeds 64 bytes, and a 31-character Cyrillic code already takes 62. The handle is `~` and a
 * base-36 hash of the code (at most 8 characters); the codes of the cards shown lately are kept in
 * the conversation context (persisted with it), and a tap is resolved against them. `~` never
 * occurs in a code, so ids of buttons sent before handles existed (`p:SOFA-001`) still read as codes.
 */
export const MAX_SHOWN_SKUS = 30;
const HANDLE = '~';

export function productHandle(sku: string): string {
  // FNV-1a, 32 bits: deterministic and pure; among 30 recent cards a clash is vanishingly rare
  let hash = 0x811c9dc5;
  for (let i = 0; i < sku.length; i++) {
    hash ^= sku.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return `${HANDLE}${hash.toString(36)}`;
}

/** the SKU a choice id names after `prefix`: through its handle, or (older buttons) as written; null when unknown */
export function choiceSku(
  ctx: Pick<ConversationContext, 'shownSkus' | 'focus'>,
  id: string,
  prefix: string,
): string | null {
  if (!id.startsWith(prefix)) return null;
  const rest = id.slice(prefix.length).trim();
  if (rest === '') return null;
  if (!rest.startsWith(HANDLE)) return rest.toUpperCase();
  const shown = [...(ctx.shownSkus ?? []), ...(ctx.focus ? [ctx.focus.sku] : [])];
  for (let i = shown.length - 1; i >= 0; i--) if (productHandle(shown[i]!) === rest) return shown[i]!;
  return null;
}

/** the codes of the cards these effects show, appended to those shown before (newest last, bounded) */
export function rememberShown(
  ctx: Pick<ConversationContext, 'shownSkus'>,
  effects: readonly Effect[],
): string[] | null {
  const skus = effects.flatMap((e) =>
    e.type === 'reply' && e.reply.type === 'products' ? e.reply.items.map((item) => item.sku) : [],
  );
  if (skus.length === 0) return null;
  const fresh = new Set(skus);
  return [...(ctx.shownSkus ?? []).filter((sku) => !fresh.has(sku)), ...fresh].slice(-MAX_SHOWN_SKUS);
}
