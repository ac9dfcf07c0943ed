import type OpenAI from 'openai';
import { toFile } from 'openai';
import { AiInputRejectedError } from './errors.ts';
import type { AiUsageEvent, Transcriber } from './ports.ts';
import { resilientCall, type ResilienceOptions } from './resilience.ts';
import { usageReporter } from './usage.ts';

/**
 * Voice messages through Whisper (`audio.transcriptions`, multipart). Telegram and WhatsApp voice
 * notes are OGG Opus, which Whisper accepts as is — no transcoding. The 25 MB API limit is checked
 * before anything is sent.
 */

export const TRANSCRIPTION_MAX_BYTES = 25 * 1024 * 1024;
const ACCEPTED_EXTENSIONS = ['flac', 'm4a', 'mp3', 'mp4', 'mpeg', 'mpga', 'oga', 'ogg', 'wav', 'webm'];
const EXTENSION_BY_MIME: Record<string, string> = {
  'audio/ogg': 'ogg',
  'audio/opus': 'ogg',
  'application/ogg': 'ogg',
  'audio/mpeg': 'mp3',
  'audio/mp3': 'mp3',
  'audio/mp4': 'm4a',
  'audio/m4a': 'm4a',
  'audio/x-m4a': 'm4a',
  'audio/aac': 'm4a',
  'audio/wav': 'wav',
  'audio/x-wav': 'wav',
  'audio/webm': 'webm',
  'audio/flac': 'flac',
  'video/mp4': 'mp4',
};

/** Whisper picks the decoder by the file name; give it an extension it knows. */
export function whisperFilename(filename: string, mime: string): string {
  const base = filename.trim() || 'voice';
  const ext = base.includes('.') ? base.slice(base.lastIndexOf('.') + 1).toLowerCase() : '';
  if (ACCEPTED_EXTENSIONS.includes(ext)) return base;
  return `${base}.${EXTENSION_BY_MIME[mime.split(';')[0]?.trim().toLowerCase() ?? ''] ?? 'ogg'}`;
}

export type OpenAiTranscriberOptions = {
  client: OpenAI;
  model?: string;
  resilience: ResilienceOptions;
  onUsage?: (event: AiUsageEvent) => void;
  secrets?: string[];
  now?: () => number;
};

export function createOpenAiTranscriber(opts: OpenAiTranscriberOptions): Transcriber {
  const now = opts.now ?? Date.now;
  const model = opts.model ?? 'whisper-1';
  const report = usageReporter(opts.onUsage, opts.secrets ?? []);

  return {
    async transcribe(audio, { mime, filename, lang }) {
      const started = now();
      const base = { op: 'transcribe' as const, model, promptTokens: 0, completionTokens: 0 };
      if (audio.byteLength === 0) {
        report({ ...base, latencyMs: 0, attempts: 0, ok: false, fallback: 'empty', error: 'audio is empty' });
        return null;
      }
      if (audio.byteLength > TRANSCRIPTION_MAX_BYTES) {
        const error = new AiInputRejectedError(
          `audio is ${audio.byteLength} bytes, limit ${TRANSCRIPTION_MAX_BYTES}`,
          'too_large',
        );
        report({ ...base, latencyMs: 0, attempts: 0, ok: false, fallback: error.kind, error: error.message });
        return null;
      }
      const name = whisperFilename(filename, mime);
      const outcome = await resilientCall(
        async ({ signal, timeoutMs }) =>
          opts.client.audio.transcriptions.create(
            {
              file: await toFile(audio, name, { type: mime }),
              model,
              ...(lang ? { language: lang } : {}),
              response_format: 'json',
            },
            { signal, timeout: timeoutMs, maxRetries: 0 },
          ),
        opts.resilience,
      );

      if (!outcome.ok) {
        report({
          ...base,
          latencyMs: now() - started,
          attempts: outcome.attempts,
          ok: false,
          fallback: outcome.error.kind,
          error: outcome.error.message,
        });
        return null;
      }
      const text = typeof outcome.value?.text === 'string' ? outcome.value.text.trim() : null;
      report({
        ...base,
        latencyMs: now() - started,
        attempts: outcome.attempts,
        ok: text !== null,
        ...(text === null ? { fallback: 'invalid_response' } : {}),
      });
      return text;
    },
  };
}
