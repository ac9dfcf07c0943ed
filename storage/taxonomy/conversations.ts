import type { ConversationLock, SnapshotStore } from '../state/types.ts';

/** The parts of the conversation-state backend a rename of stored criteria needs. */
export type ConversationState = { snapshots: SnapshotStore; locks: ConversationLock };
export type ConversationRewrite = {
  /** conversations whose criteria named the old category */
  conversations: number;
  /** shoppers' learned preferences that counted it */
  preferences: number;
  /** keys left as they were: their conversation stayed busy (its next search still works, with the old slug) */
  skipped: string[];
};

const LOCK_MS = 10_000;
const WAIT_MS = 3_000;

/**
 * Points what persisted conversations remember at `into` instead of `from` after a merge: the
 * search criteria in a conversation's context (also a pending «otherwise» search) and the category
 * counts of a shopper's learned preferences. Runs after the database's transaction, key by key, each
 * under its conversation's lock (the same lock a turn holds) and by compare-and-set, so a turn in
 * flight is never overwritten; the snapshot's expiry stays as it was.
 */
export async function renameCategoryInConversations(
  state: ConversationState,
  change: { from: string; into: string },
): Promise<ConversationRewrite> {
  const report: ConversationRewrite = { conversations: 0, preferences: 0, skipped: [] };
  const mentioned = JSON.stringify(change.from);
  for await (const page of state.snapshots.scan()) {
    // a page's reads go out together (one round trip's worth on Redis); most snapshots never name `from`
    const firsts = await Promise.all(page.map((key) => state.snapshots.read(key)));
    const touched = page.filter((_, i) => {
      const data = firsts[i]?.data;
      return data !== undefined && data.includes(mentioned) && rewritten(data, change) !== undefined;
    });
    for (const key of touched) {
      const lease = await state.locks.acquire(key, LOCK_MS, WAIT_MS);
      if (!lease) {
        report.skipped.push(key);
        continue;
      }
      try {
        const kind = await rewriteOne(state.snapshots, key, change);
        if (kind === 'conversation') report.conversations++;
        else if (kind === 'preferences') report.preferences++;
        else if (kind === 'busy') report.skipped.push(key);
      } finally {
        await lease.release();
      }
    }
  }
  return report;
}

async function rewriteOne(
  snapshots: SnapshotStore,
  key: string,
  change: { from: string; into: string },
): Promise<'conversation' | 'preferences' | 'unchanged' | 'busy'> {
  // learned preferences are written by compare-and-set without the lock: retry a lost race
  for (let attempt = 0; attempt < 3; attempt++) {
    const current = await snapshots.read(key);
    const next = current && rewritten(current.data, change);
    if (!current || !next) return 'unchanged';
    if ((await snapshots.replace(key, next.data, current.version)).ok) return next.kind;
  }
  return 'busy';
}

type Rewritten = { kind: 'conversation' | 'preferences'; data: string };

/** the snapshot with `from` replaced, or undefined when it does not mention it */
export function rewritten(data: string, change: { from: string; into: string }): Rewritten | undefined {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return undefined;
  }
  if (!isObject(value)) return undefined;
  const context = isObject(value.p) && isObject(value.p.snapshot) ? value.p.snapshot.context : undefined;
  if (isObject(context)) {
    return renameCriteria(context, change) ? { kind: 'conversation', data: JSON.stringify(value) } : undefined;
  }
  if (isCounts(value.categories) && isCounts(value.colors) && Array.isArray(value.viewed)) {
    const counts = value.categories;
    const moved = counts[change.from];
    if (moved === undefined) return undefined;
    delete counts[change.from];
    counts[change.into] = (counts[change.into] ?? 0) + moved;
    return { kind: 'preferences', data: JSON.stringify(value) };
  }
  return undefined;
}

/** every `category: from` (and `audience: from`, whom it is for) in the context's criteria (current search, pending fallbacks), in place */
function renameCriteria(node: unknown, change: { from: string; into: string }): boolean {
  if (Array.isArray(node)) return node.map((item) => renameCriteria(item, change)).some(Boolean);
  if (!isObject(node)) return false;
  let changed = false;
  for (const [field, value] of Object.entries(node)) {
    if ((field === 'category' || field === 'audience') && value === change.from) {
      node[field] = change.into;
      changed = true;
    } else if (field !== 'history' && renameCriteria(value, change)) changed = true;
  }
  return changed;
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const isCounts = (value: unknown): value is Record<string, number> =>
  isObject(value) && Object.values(value).every((n) => typeof n === 'number');
