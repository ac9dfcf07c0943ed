import type { ScenarioIntents } from '../../engine/scenario/intents.ts';
import type { Lang, SearchCriteria } from '../../engine/catalog.ts';
import type { HistoryEntry } from '../../engine/effects.ts';
import type { ImageDescription } from '../../engine/events.ts';
import type { Understanding } from '../../engine/intent.ts';

/**
 * The ports the conversation runtime consumes. Each has a local or null implementation and an
 * OpenAI one; the runtime never knows which answered.
 */

export type UnderstandInput = {
  text: string;
  lang: Lang;
  history: HistoryEntry[];
  criteria?: SearchCriteria;
  /** the product the shopper is looking at («а в синем есть?», «сообщите, когда подешевеет») */
  focusSku?: string;
  city: string;
  /** the channel the shopper writes on: each channel's bot config may pick its own model */
  channel?: string;
  /** the scenario's own intents: the rules brain matches them, the model gets them as a tool */
  intents?: ScenarioIntents;
};

export type UnderstandUsage = {
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  model: string;
  /** why the rules brain answered instead of the model (`timeout`, `invalid_args`, `circuit_open`, …) */
  fallback?: string;
};

export type UnderstandResult = Understanding & { usage?: UnderstandUsage };

export interface Brain {
  /** Always resolves with an Understanding; provider failures fall back to the rules brain. */
  understand(input: UnderstandInput): Promise<UnderstandResult>;
}

export interface Vision {
  /** `null` when the photo could not be described (invalid answer, provider down, too large). */
  describe(image: Uint8Array, mime: string): Promise<ImageDescription | null>;
}

export interface Transcriber {
  /** `null` when the audio could not be transcribed (too large, provider down). */
  transcribe(audio: Uint8Array, opts: { mime: string; filename: string; lang?: Lang }): Promise<string | null>;
}

export type AiOperation = 'understand' | 'describeImage' | 'transcribe';

/** One provider call (or skipped call), for analytics: tokens, latency, outcome. */
export type AiUsageEvent = {
  op: AiOperation;
  model: string;
  city?: string;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  /** network attempts made (0 when the breaker was open or the input was rejected locally) */
  attempts: number;
  ok: boolean;
  /** the cause when not ok: `timeout`, `rate_limit`, `server_error`, `invalid_args`, `too_large`, … */
  fallback?: string;
  /** a short, redacted error message */
  error?: string;
};

/** The rules brain's entry point (engine/understanding), as the OpenAI brain falls back to it. */
export type RulesUnderstand = (
  text: string,
  opts: { lang: Lang; criteria?: SearchCriteria; focusSku?: string; intents?: ScenarioIntents },
) => Understanding;

export type Ai = { brain: Brain; vision: Vision | null; transcriber: Transcriber | null };
