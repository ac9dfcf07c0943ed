import type { Effect } from './effects.ts';
import type { EngineEvent } from './events.ts';

/**
 * An effect's answer: the result event the engine is stepped with next, nothing (a reply, a timer,
 * a record: fire and forget), or `{ stop }` when the turn cannot go on (a transcript's recorded
 * result does not fit the effect).
 */
export type EffectAnswer = EngineEvent | null | undefined | { stop: string };

export type EffectLoop = {
  /** steps the engine with one event and returns the effects it asks for; the caller keeps the snapshot */
  step(event: EngineEvent): readonly Effect[];
  /** carries out one effect that stepping `cause` asked for */
  perform(effect: Effect, cause: EngineEvent): EffectAnswer | Promise<EffectAnswer>;
  /** bound on steps for one incoming event: effect results feeding each other back in a loop */
  maxSteps: number;
};

/**
 * How a turn's loop ended: every effect answered, the bound on steps reached (a scenario whose
 * effects keep feeding each other), or stopped by an effect's answer.
 */
export type EffectLoopEnd = { kind: 'done' } | { kind: 'tooManySteps' } | { kind: 'stopped'; reason: string };

/**
 * One turn: step the engine with the event, carry out the effects it asks for in order, step it
 * with their results (first answered, first stepped) until it asks for nothing more. The host's
 * runtime and the transcript replay both run their turns here, so a transcript checks the loop
 * production runs; they differ only in how an effect is carried out.
 */
export async function runEffectLoop(loop: EffectLoop, first: EngineEvent): Promise<EffectLoopEnd> {
  const queue: EngineEvent[] = [first];
  for (let steps = 0; queue.length > 0; steps++) {
    if (steps >= loop.maxSteps) return { kind: 'tooManySteps' };
    const event = queue.shift()!;
    for (const effect of loop.step(event)) {
      const answer = await loop.perform(effect, event);
      if (!answer) continue;
      if ('stop' in answer) return { kind: 'stopped', reason: answer.stop };
      queue.push(answer);
    }
  }
  return { kind: 'done' };
}
