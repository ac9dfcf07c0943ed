import type { ScenarioIntents } from '../../engine/scenario/intents.ts';
import type OpenAI from 'openai';
import type { Understanding } from '../../engine/intent.ts';
import { redact } from './errors.ts';
import { groundQuery, leaksSecret } from './grounding.ts';
import type { AiUsageEvent, Brain, RulesUnderstand, UnderstandInput, UnderstandResult } from './ports.ts';
import { buildMessages, PLATFORM_RULES } from './prompt.ts';
import { resilientCall, type ResilienceOptions } from './resilience.ts';
import type { CatalogWords } from './catalogWords.ts';
import { DESIGNER_TOOL, designerTool, parseDesignerCall } from './designerTool.ts';
import { rulesOptions } from './rulesBrain.ts';
import { parseToolCall } from './tools.ts';
import { usageReporter } from './usage.ts';

/**
 * `understand` through chat completions with tools. The model only ever picks a tool and its
 * arguments; its free text is never read. Anything that goes wrong — the provider, the answer's
 * shape, the arguments — ends in the rules brain's answer, with the reason in `usage.fallback`.
 */

export type OpenAiBrainOptions = {
  client: OpenAI;
  rules: RulesUnderstand;
  /** the current catalog: the tools list its categories and values */
  words: () => CatalogWords;
  getSystemPrompt: (city: string) => Promise<string> | string;
  /** the bot's own model and token limit for one call, read on every call so an edited bot config applies at once */
  getCallSettings?: (bot: { city: string; channel?: string }) => CallSettings | Promise<CallSettings>;
  defaultModel: string;
  /** room for the tool call when the bot sets no limit */
  defaultMaxTokens?: number;
  /** messages of memory sent along; the engine already bounds history per channel */
  maxHistory?: number;
  resilience: ResilienceOptions;
  onUsage?: (event: AiUsageEvent) => void;
  /** strings that must never appear in errors, logs or tool arguments (the API key) */
  secrets?: string[];
  now?: () => number;
};

export type CallSettings = { model?: string; maxTokens?: number };

const NO_INTENTS: ScenarioIntents = {};
const NEUTRAL_REASON = 'shopper asked for a manager';

export function createOpenAiBrain(opts: OpenAiBrainOptions): Brain {
  const now = opts.now ?? Date.now;
  const secrets = opts.secrets ?? [];

  function runRules(input: UnderstandInput): Understanding {
    try {
      return opts.rules(input.text, rulesOptions(input));
    } catch {
      return { intent: { name: 'unknown' }, source: 'rules' };
    }
  }

  const report = usageReporter(opts.onUsage, secrets);

  return {
    async understand(input) {
      const started = now();
      const rulesAnswer = runRules(input);
      const words = opts.words();
      const intents = input.intents ?? NO_INTENTS;
      const ownTool = designerTool(intents);
      let model = opts.defaultModel;
      let promptTokens = 0;
      let completionTokens = 0;
      let attempts = 0;

      const fallback = (reason: string, error?: string): UnderstandResult => {
        const latencyMs = now() - started;
        report({
          op: 'understand',
          model,
          city: input.city,
          promptTokens,
          completionTokens,
          latencyMs,
          attempts,
          ok: false,
          fallback: reason,
          ...(error ? { error } : {}),
        });
        return { ...rulesAnswer, usage: { promptTokens, completionTokens, latencyMs, model, fallback: reason } };
      };

      let cityPrompt: string;
      let maxTokens = opts.defaultMaxTokens ?? 300;
      try {
        // one object per bot: model and limit of the same saved version, never one of each
        const bot =
          (await opts.getCallSettings?.({ city: input.city, ...(input.channel ? { channel: input.channel } : {}) })) ??
          {};
        model = bot.model || opts.defaultModel;
        maxTokens = bot.maxTokens ?? maxTokens;
        cityPrompt = await opts.getSystemPrompt(input.city);
      } catch (err) {
        return fallback('prompt_unavailable', err instanceof Error ? err.message : String(err));
      }

      const outcome = await resilientCall(
        ({ signal, timeoutMs }) =>
          opts.client.chat.completions.create(
            {
              model,
              messages: buildMessages(input, cityPrompt, opts.maxHistory ?? 10),
              tools: (ownTool
                ? [...words.tools, ownTool]
                : words.tools) as OpenAI.Chat.Completions.ChatCompletionTool[],
              tool_choice: 'required',
              parallel_tool_calls: false,
              temperature: 0,
              max_completion_tokens: maxTokens,
            },
            { signal, timeout: timeoutMs, maxRetries: 0 },
          ),
        opts.resilience,
      );
      attempts = outcome.attempts;
      if (!outcome.ok) return fallback(outcome.error.kind, outcome.error.message);

      const completion = outcome.value;
      promptTokens = completion.usage?.prompt_tokens ?? 0;
      completionTokens = completion.usage?.completion_tokens ?? 0;
      // the model's free text (message.content) is deliberately never read
      const call = completion.choices?.[0]?.message?.tool_calls?.find((c) => c.type === 'function');
      if (!call || call.type !== 'function') return fallback('no_tool_call');
      const parsed =
        ownTool && call.function.name === DESIGNER_TOOL
          ? parseDesignerCall(call.function.arguments ?? '', intents)
          : parseToolCall(call.function.name, call.function.arguments ?? '', words.slugs);
      if (!parsed.ok) return fallback(parsed.reason, parsed.detail);

      const intent = parsed.intent;
      if (intent.name === 'search_products' && intent.args.query !== undefined) {
        const shopperWords = [input.text, ...input.history.filter((h) => h.role === 'shopper').map((h) => h.text)];
        const query = groundQuery(intent.args.query, shopperWords);
        if (query === undefined) delete intent.args.query;
        else intent.args.query = query;
      }
      if (intent.name === 'escalate_to_manager') {
        const reason = intent.args.reason;
        intent.args.reason =
          reason === '' || leaksSecret(reason, [cityPrompt, PLATFORM_RULES, ...secrets])
            ? NEUTRAL_REASON
            : redact(reason, secrets);
      }

      const understanding: UnderstandResult = { intent, source: 'openai' };
      if (rulesAnswer.lang) understanding.lang = rulesAnswer.lang;
      const sentiment = parsed.angry ? 'angry' : rulesAnswer.sentiment;
      if (sentiment) understanding.sentiment = sentiment;
      const latencyMs = now() - started;
      report({
        op: 'understand',
        model,
        city: input.city,
        promptTokens,
        completionTokens,
        latencyMs,
        attempts,
        ok: true,
      });
      understanding.usage = { promptTokens, completionTokens, latencyMs, model };
      return understanding;
    },
  };
}
