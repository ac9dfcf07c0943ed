import { CHANNELS, LANGS, type Channel, type Lang } from '../catalog.ts';
import { EFFECT_TYPES } from '../events.ts';
import type { EffectType } from '../effects.ts';
import type { ExpectLine, ParseError, Recorded, Transcript, TranscriptHeader, Turn } from './model.ts';
import { parseDuration, parseShopperAction, parseWorldAction } from './parseAction.ts';
import { parseExpectation } from './parseExpectation.ts';

/** Parses the transcript text format (scenarios/transcripts/README.md). Never throws. */
export function parseTranscript(
  text: string,
  file?: string,
): { ok: true; transcript: Transcript } | { ok: false; errors: ParseError[] } {
  const errors: ParseError[] = [];
  const header: TranscriptHeader = {
    city: 'almaty',
    channel: 'telegram',
    lang: 'ru',
    at: '2026-01-01T10:00:00.000Z',
    vision: true,
    voice: true,
    extra: {},
  };
  let title = '';
  const turns: Turn[] = [];
  let comments: string[] = [];
  let lastExpect: ExpectLine | undefined;

  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  lines.forEach((raw, index) => {
    const lineNo = index + 1;
    const line = raw.replace(/\s+$/, '');
    const fail = (message: string) => errors.push({ line: lineNo, message });
    const current = turns[turns.length - 1];

    if (line.trim() === '') return;
    if (line === '|' || line.startsWith('| ')) {
      if (!lastExpect || (lastExpect.kind !== 'exact' && lastExpect.kind !== 'contains')) {
        fail('a "|" continuation line must follow a "<" text line');
        return;
      }
      lastExpect.text += '\n' + line.slice(2);
      lastExpect.source += '\n' + line;
      return;
    }
    lastExpect = undefined;
    const marker = line[0];
    const rest = line.slice(1).replace(/^ /, '');

    switch (marker) {
      case '#': {
        const comment = line.replace(/^#\s?/, '');
        if (!title && turns.length === 0) title = comment.trim();
        else comments.push(comment);
        return;
      }
      case '@': {
        const problems = parseHeader(rest, header);
        problems.forEach(fail);
        return;
      }
      case '>': {
        const action = parseShopperAction(rest);
        if (typeof action === 'string') return void fail(action);
        turns.push({ line: lineNo, source: line, action, recorded: [], expects: [], comments });
        comments = [];
        return;
      }
      case '~': {
        const ms = parseDuration(rest.trim());
        if (ms === undefined)
          return void fail(`cannot read the duration "${rest.trim()}" (use 2h, 30m, 1h30m, 45s, 1d)`);
        turns.push({
          line: lineNo,
          source: line,
          action: { kind: 'wait', ms, spec: rest.trim() },
          recorded: [],
          expects: [],
          comments,
        });
        comments = [];
        return;
      }
      case '!': {
        const action = parseWorldAction(rest.trim());
        if (typeof action === 'string') return void fail(action);
        turns.push({ line: lineNo, source: line, action, recorded: [], expects: [], comments });
        comments = [];
        return;
      }
      case '<': {
        if (!current) return void fail('an expected reply ("<") needs an action line before it');
        const expectation = parseExpectation(rest);
        if (typeof expectation === 'string') return void fail(expectation);
        const expectLine: ExpectLine = { ...expectation, line: lineNo, source: line };
        current.expects.push(expectLine);
        lastExpect = expectLine;
        return;
      }
      case '=': {
        if (!current) return void fail('a recorded result ("=") needs an action line before it');
        const recorded = parseRecorded(rest, lineNo, line);
        if (typeof recorded === 'string') return void fail(recorded);
        current.recorded.push(recorded);
        return;
      }
      default:
        fail(`unknown line; lines start with # @ > < = ~ ! or |`);
    }
  });

  if (turns.length === 0 && errors.length === 0) errors.push({ line: 1, message: 'the transcript has no actions' });
  if (errors.length > 0) return { ok: false, errors };
  return { ok: true, transcript: { title, header, turns, ...(file ? { file } : {}) } };
}

function parseHeader(rest: string, header: TranscriptHeader): string[] {
  const problems: string[] = [];
  for (const part of rest.split('·')) {
    const trimmed = part.trim();
    if (!trimmed) continue;
    const [key = '', ...valueParts] = trimmed.split(/\s+/);
    const value = valueParts.join(' ');
    const problem = (message: string) => problems.push(message);
    switch (key) {
      case 'city':
        header.city = value;
        break;
      case 'channel':
        if ((CHANNELS as readonly string[]).includes(value)) header.channel = value as Channel;
        else problem(`unknown channel "${value}" (${CHANNELS.join(', ')})`);
        break;
      case 'lang':
        if ((LANGS as readonly string[]).includes(value)) header.lang = value as Lang;
        else problem(`unknown lang "${value}" (${LANGS.join(', ')})`);
        break;
      case 'at': {
        const ms = Date.parse(value);
        if (!/^\d{4}-\d\d-\d\dT/.test(value) || Number.isNaN(ms))
          problem(`"at" must be an ISO timestamp, got "${value}"`);
        else header.at = new Date(ms).toISOString();
        break;
      }
      case 'vision':
      case 'voice':
        if (value !== 'on' && value !== 'off') problem(`${key} must be on or off`);
        else header[key] = value === 'on';
        break;
      default:
        if (!key) problem('empty header entry');
        else header.extra[key] = value;
    }
  }
  return problems;
}

function parseRecorded(rest: string, line: number, source: string): Recorded | string {
  const m = /^(\w+)\s*(.*)$/s.exec(rest.trim());
  if (!m?.[1]) return 'a recorded result looks like: = readImage "Артикул: SOFA-001"';
  const effect = m[1];
  if (!(EFFECT_TYPES as readonly string[]).includes(effect))
    return `unknown effect "${effect}" (${EFFECT_TYPES.join(', ')})`;
  const body = (m[2] ?? '').trim();
  const failure = /^!fail\b\s*(.*)$/.exec(body);
  if (failure) return { effect: effect as EffectType, value: null, failure: failure[1] || 'failed', line, source };
  if (body === '') return `recorded ${effect} needs a value`;
  let value: unknown = body;
  try {
    value = JSON.parse(body);
  } catch {
    // not JSON: keep the raw text (ids, SKUs)
  }
  return { effect: effect as EffectType, value, line, source };
}
