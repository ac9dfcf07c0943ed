import type { Reply } from '../replies.ts';
import type { TargetAction, TranscriptHeader } from './model.ts';
import type { RecordedQueue } from './recorded.ts';

/**
 * Whatever a transcript is replayed against: the pure engine with an in-memory host (first
 * implementation, engineTarget.ts), or a channel host driven through its real webhook path.
 * The driver owns the virtual clock and label resolution; a target only performs actions.
 */
export interface TranscriptTarget {
  /** a fresh conversation described by the header */
  start(header: TranscriptHeader): Promise<void> | void;
  /**
   * One action. `ctx.at` is the virtual time of the action; for `wait` it is the time after
   * waiting, and every timer due at or before it fires. Recorded results must be taken from
   * `ctx.recorded` before asking a real provider.
   */
  perform(action: TargetAction, ctx: TurnContext): Promise<TurnOutput> | TurnOutput;
  close?(): Promise<void> | void;
}

export type TurnContext = { at: string; recorded: RecordedQueue };

export type TurnOutput = {
  /** channel-neutral replies the shopper received, in order */
  replies: Reply[];
  /** side facts worth showing (forwarded to a manager, alert created, timer scheduled) — never matched */
  notes?: string[];
  /** the target could not perform the action (the turn fails with this message) */
  error?: string;
};
