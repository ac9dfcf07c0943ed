export { conversationKey, parseConversationKey, type ConversationAddress } from './address.ts';
export type * from './ports.ts';
export { applyTimers, isUnavailable, runTurn, timerKey, type TimerOp, type TurnInput, type TurnResult } from './turn.ts';
export { ConversationRuntime, describeReply, type RuntimeOptions, type TurnReport } from './runtime.ts';
