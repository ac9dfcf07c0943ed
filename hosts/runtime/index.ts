export { conversationKey, parseConversationKey, type ConversationAddress } from './address.ts';
export type * from './ports.ts';
export {
  applyTimers,
  isUnavailable,
  runTurn,
  timerKey,
  type TimerOp,
  type TurnInput,
  type TurnResult,
} from './turn.ts';
export { ConversationRuntime, type AcceptHint, type RuntimeOptions, type TurnReport } from './runtime.ts';
export { describeReply, MESSAGE_IN, MESSAGE_OUT } from './records.ts';
