import type { Option, Reply } from '../replies.ts';
import { matchTurn } from './match.ts';
import type { ActualLine, TargetAction, Transcript, Turn } from './model.ts';
import { printActual, printRecorded } from './print.ts';
import { RecordedQueue } from './recorded.ts';
import { renderReplies } from './render.ts';
import type { TranscriptTarget } from './target.ts';

export type TurnResult = {
  turn: Turn;
  at: string;
  replies: Reply[];
  actual: ActualLine[];
  notes: string[];
  ok: boolean;
  /** expected vs actual, or what went wrong */
  problem?: string;
};

export type ReplayResult = { transcript: Transcript; ok: boolean; turns: TurnResult[]; failures: TurnResult[] };

/** Shopper actions are one virtual second apart, so history and timers stay ordered. */
const SHOPPER_GAP_MS = 1000;

/** Replays a transcript against a target and checks every turn. Never throws. */
export async function replayTranscript(transcript: Transcript, target: TranscriptTarget): Promise<ReplayResult> {
  const turns: TurnResult[] = [];
  let clock = Date.parse(transcript.header.at);
  let options: Option[] = [];
  try {
    await target.start(transcript.header);
  } catch (error) {
    const first = transcript.turns[0]!;
    const failed: TurnResult = {
      turn: first,
      at: transcript.header.at,
      replies: [],
      actual: [],
      notes: [],
      ok: false,
      problem: `target failed to start: ${message(error)}`,
    };
    return { transcript, ok: false, turns: [failed], failures: [failed] };
  }
  try {
    for (const turn of transcript.turns) {
      if (turn.action.kind === 'wait') clock += turn.action.ms;
      const at = new Date(clock).toISOString();
      if (turn.action.kind !== 'wait') clock += SHOPPER_GAP_MS;
      const result = await runTurn(turn, at, options, target);
      options = [...optionsOf(result.replies), ...options].slice(0, 100);
      turns.push(result);
    }
  } finally {
    try {
      await target.close?.();
    } catch {
      // closing is best effort; the turns already tell the story
    }
  }
  const failures = turns.filter((t) => !t.ok);
  return { transcript, ok: failures.length === 0, turns, failures };
}

async function runTurn(
  turn: Turn,
  at: string,
  options: readonly Option[],
  target: TranscriptTarget,
): Promise<TurnResult> {
  const base = { turn, at, replies: [] as Reply[], actual: [] as ActualLine[], notes: [] as string[] };
  let action: TargetAction;
  if (turn.action.kind === 'tapLabel') {
    const label = fold(turn.action.label);
    const option = options.find((o) => fold(o.label) === label);
    if (!option)
      return {
        ...base,
        ok: false,
        problem: `no button labelled "${turn.action.label}" in earlier replies (seen: ${
          options
            .slice(0, 12)
            .map((o) => o.label)
            .join(' | ') || 'none'
        })`,
      };
    action = { kind: 'tap', id: option.id };
  } else {
    action = turn.action;
  }
  const recorded = new RecordedQueue(turn.recorded);
  let output;
  try {
    output = await target.perform(action, { at, recorded });
  } catch (error) {
    return { ...base, ok: false, problem: `the target threw: ${message(error)}` };
  }
  const actual = renderReplies(output.replies);
  const done = { ...base, replies: output.replies, actual, notes: output.notes ?? [] };
  if (output.error) return { ...done, ok: false, problem: output.error + listActual(actual) };
  const match = matchTurn(turn.expects, actual);
  if (!match.ok) return { ...done, ok: false, problem: match.diff };
  const unused = recorded.remaining();
  if (unused.length > 0) {
    return {
      ...done,
      ok: false,
      problem: `recorded results were not used by any effect:\n${unused.map((r) => `      ${printRecorded(r)}  (line ${r.line})`).join('\n')}`,
    };
  }
  return { ...done, ok: true };
}

/** the buttons of a batch of replies, the last reply's first: a tap by label finds the newest */
export function optionsOf(replies: readonly Reply[]): Option[] {
  const found: Option[] = [];
  for (const reply of [...replies].reverse()) {
    if (reply.type === 'choices') found.push(...reply.options);
    if (reply.type === 'products') for (const item of reply.items) found.push(...(item.options ?? []));
  }
  return found;
}

function listActual(actual: readonly ActualLine[]): string {
  if (actual.length === 0) return '';
  return '\n    replies so far:\n' + actual.map((line) => `        < ${printActual(line)}`).join('\n');
}

function fold(text: string): string {
  return text.trim().toLowerCase().replace(/ё/g, 'е');
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A human-readable report of one replay: a ✓/✗ line, then each failing turn with its diff. */
export function formatReplay(result: ReplayResult, name = result.transcript.file ?? result.transcript.title): string {
  const title = result.transcript.title ? ` — ${result.transcript.title}` : '';
  if (result.ok) {
    const known = result.transcript.header.extra['known-issue'];
    return `✓ ${name}${title} (${result.turns.length} turns)${known ? ' — passes now: remove its "@ known-issue" line' : ''}`;
  }
  const out = [`✗ ${name}${title} (${result.failures.length} of ${result.turns.length} turns failed)`];
  const known = result.transcript.header.extra['known-issue'];
  if (known) out.push(`  known issue: ${known}`);
  for (const failure of result.failures) {
    out.push(`  line ${failure.turn.line} at ${failure.at}: ${failure.turn.source}`);
    if (failure.problem) out.push(failure.problem.startsWith('    ') ? failure.problem : `    ${failure.problem}`);
    if (failure.notes.length > 0) out.push(`    notes: ${failure.notes.join('; ')}`);
  }
  return out.join('\n');
}
