import type { ResultEvent } from '../events.ts';
import type { EffectLog } from './engineTarget.ts';
import type { Action, Recorded, Transcript, TranscriptHeader, Turn } from './model.ts';
import { expectationFor, printExpectation, printTranscript } from './print.ts';
import { RECORDABLE } from './recorded.ts';
import { renderReplies } from './render.ts';
import type { TurnOutput } from './target.ts';

/** Which effect results a recording keeps. By default only what a replay cannot recompute. */
export type RecordPolicy = (log: EffectLog) => boolean;

/** Results that depend on outside providers: OCR, vision, transcription, and model answers. */
export const externalOnly: RecordPolicy = (log) => {
  if (log.recorded || !log.result) return false;
  if (log.effect.type === 'understand')
    return log.result.type === 'understand.done' && log.result.understanding.source !== 'rules';
  return ['readImage', 'describeImage', 'transcribe'].includes(log.effect.type) || log.result.type === 'effect.failed';
};

/** Everything recordable: for sessions on a catalog the replay will not have (e.g. `chat --db`). */
export const everything: RecordPolicy = (log) =>
  !log.recorded && log.result !== null && RECORDABLE.includes(log.effect.type);

/** Turns a live session into a transcript whose expectations are exactly what the bot said. */
export class TranscriptRecorder {
  readonly #turns: Turn[] = [];
  #line = 3;
  constructor(
    readonly header: TranscriptHeader,
    readonly title: string,
    readonly policy: RecordPolicy = externalOnly,
  ) {}

  add(action: Action, output: TurnOutput, logs: readonly EffectLog[]): void {
    const recorded: Recorded[] = logs.filter(this.policy).flatMap((log) => {
      const value = valueOf(log.result!);
      return value === undefined ? [] : [{ effect: log.effect.type, ...value, line: 0, source: '' }];
    });
    const expects = renderReplies(output.replies).map((line) => {
      const expectation = expectationFor(line);
      return { ...expectation, line: 0, source: printExpectation(expectation) };
    });
    if (expects.length === 0) expects.push({ kind: 'silence', line: 0, source: '< (silence)' });
    this.#turns.push({ line: this.#line, source: '', action, recorded, expects, comments: [] });
    this.#line += 1 + recorded.length + expects.length;
  }

  get turnCount(): number {
    return this.#turns.length;
  }

  transcript(): Transcript {
    return { title: this.title, header: this.header, turns: [...this.#turns] };
  }

  text(): string {
    return printTranscript(this.transcript());
  }
}

function valueOf(result: ResultEvent): { value: unknown; failure?: string } | undefined {
  switch (result.type) {
    case 'understand.done':
      return { value: result.understanding };
    case 'search.done':
      return {
        value: { items: result.items, total: result.total, ...(result.relaxed ? { relaxed: result.relaxed } : {}) },
      };
    case 'lookupSku.done':
      return { value: result.product };
    case 'readImage.done':
      return { value: result.text };
    case 'describeImage.done':
      return { value: result.description };
    case 'transcribe.done':
      return { value: result.text };
    case 'escalate.done':
      return { value: result.escalationId };
    case 'createAlert.done':
      return { value: result.alertId };
    case 'recommend.done':
      return { value: result.items };
    case 'effect.failed':
      return { value: null, failure: result.reason };
    default:
      return undefined;
  }
}
