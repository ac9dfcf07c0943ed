/** Replayable transcripts: the text format, the matcher, and the replay driver. */
export type {
  Action,
  ActualLine,
  AdminAction,
  Expectation,
  ExpectLine,
  ParseError,
  Recorded,
  TargetAction,
  Transcript,
  TranscriptHeader,
  Turn,
} from './model.ts';
export { parseTranscript } from './parse.ts';
export { parseDuration } from './parseAction.ts';
export {
  printTranscript,
  printHeader,
  printAction,
  printRecorded,
  printExpectation,
  printActual,
  expectationFor,
} from './print.ts';
export { renderReplies } from './render.ts';
export { matchTurn, matchesLine, type TurnMatch } from './match.ts';
export { RecordedQueue, RECORDABLE, recordedResult, type SkuResolver } from './recorded.ts';
export type { TranscriptTarget, TurnContext, TurnOutput } from './target.ts';
export { replayTranscript, formatReplay, optionsOf, type ReplayResult, type TurnResult } from './driver.ts';
export {
  createEngineTarget,
  type EffectExecutor,
  type EffectLog,
  type EngineTarget,
  type EngineTargetOptions,
  type StepFn,
} from './engineTarget.ts';
export { TranscriptRecorder, externalOnly, everything, type RecordPolicy } from './recorder.ts';
