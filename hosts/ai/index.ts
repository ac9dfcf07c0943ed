export type {
  Ai,
  AiOperation,
  AiUsageEvent,
  Brain,
  RulesUnderstand,
  Transcriber,
  UnderstandInput,
  UnderstandResult,
  UnderstandUsage,
  Vision,
} from './ports.ts';
export { createAi, type AiServices, type CreateAiOptions } from './createAi.ts';
export { createRulesBrain, rulesUnderstand } from './rulesBrain.ts';
export { createOpenAiBrain, type OpenAiBrainOptions } from './openaiBrain.ts';
export { createOpenAiVision, VISION_MAX_BYTES } from './openaiVision.ts';
export { imageDescriptionSchema, parseImageDescription } from './imageSchema.ts';
export { catalogWords, type CatalogWords, type TaxonomySlugs } from './catalogWords.ts';
export { createOpenAiTranscriber, TRANSCRIPTION_MAX_BYTES, whisperFilename } from './openaiTranscriber.ts';
export { CircuitBreaker, type BreakerState, type CircuitBreakerOptions } from './circuitBreaker.ts';
export { resilientCall, type ResilienceOptions, type ResilientOutcome } from './resilience.ts';
export {
  AiAuthError,
  AiBadRequestError,
  AiCircuitOpenError,
  AiConnectionError,
  AiError,
  AiInputRejectedError,
  AiInvalidResponseError,
  AiRateLimitError,
  AiServerError,
  AiTimeoutError,
  classify,
  redact,
  type AiFailureCause,
} from './errors.ts';
export { groundQuery, leaksSecret } from './grounding.ts';
export { buildTools, parseToolCall, type Tool } from './tools.ts';
export { runtimeAiPorts, type RuntimeAiOptions } from './runtimeAdapter.ts';
export { dailyModelBudget, localDate, type DailyModelBudgetOptions, type ModelBudget } from './budget.ts';
export { PLATFORM_RULES } from './prompt.ts';
