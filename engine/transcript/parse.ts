import { CHANNELS, LANGS, type Channel, type Lang } from '../catalog.ts';
import { EFFECT_TYPES } from '../events.ts';
import type { EffectType } from '../effects.ts';
import type {
  Action,
  AdminAction,
  Expectation,
  ExpectLine,
  ImportRow,
  ParseError,
  Recorded,
  Transcript,
  TranscriptHeader,
  Turn,
} from './model.ts';

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

const BRACKET = /^\[([a-z]+)(?:\s+("(?:[^"\\]|\\.)*"))?\]\s*(.*)$/;

function parseShopperAction(rest: string): Action | string {
  const text = rest.trim();
  if (!text) return 'a shopper line needs text (use "> [text] " for an empty message)';
  if (text.startsWith('/')) {
    const [head = '', ...args] = text.slice(1).split(/\s+/);
    const command = head.toLowerCase();
    if (!command) return 'a command needs a name: "/start"';
    const joined = args.join(' ');
    return joined ? { kind: 'command', command, args: joined } : { kind: 'command', command };
  }
  const bracket = BRACKET.exec(text);
  if (!bracket) return { kind: 'text', text };
  const [, tag = '', quoted, tail = ''] = bracket;
  const label = quoted === undefined ? undefined : (JSON.parse(quoted) as string);
  switch (tag) {
    case 'text':
      return { kind: 'text', text: label ?? rest.replace(/^\s*\[text\] ?/, '') };
    case 'tap':
      if (label !== undefined) return { kind: 'tapLabel', label };
      if (!tail) return '[tap] needs an option id ("[tap] p:SOFA-001") or a label ([tap "Подробнее"])';
      return { kind: 'tap', id: tail };
    case 'photo': {
      const m = /^(\S+)(?:\s+("(?:[^"\\]|\\.)*"))?$/.exec(tail);
      if (!m?.[1]) return '[photo] needs a fixture path, optionally followed by a "caption"';
      return m[2] ? { kind: 'photo', ref: m[1], caption: JSON.parse(m[2]) as string } : { kind: 'photo', ref: m[1] };
    }
    case 'voice':
      if (!tail || /\s/.test(tail)) return '[voice] needs one fixture path';
      return { kind: 'voice', ref: tail };
    case 'location': {
      const m = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(tail);
      if (!m) return '[location] needs "latitude, longitude"';
      return { kind: 'location', latitude: Number(m[1]), longitude: Number(m[2]) };
    }
    case 'unsupported':
      return { kind: 'unsupported', what: tail || 'sticker' };
    default:
      return `unknown shopper action [${tag}] (text, tap, photo, voice, location, unsupported)`;
  }
}

function parseWorldAction(rest: string): Action | string {
  if (/^manager\s+resolves$/i.test(rest)) return { kind: 'managerResolve' };
  const manager = /^manager(?:\s+([^:]+?))?\s*:\s*(.+)$/s.exec(rest);
  if (manager?.[2]) {
    return manager[1]
      ? { kind: 'managerReply', text: manager[2], name: manager[1] }
      : { kind: 'managerReply', text: manager[2] };
  }
  const admin = /^admin\s*:\s*(.+)$/.exec(rest);
  if (admin?.[1]) {
    const parsed = parseAdmin(admin[1].trim());
    return typeof parsed === 'string' ? parsed : { kind: 'admin', admin: parsed };
  }
  return 'unknown world action; use "! manager: text", "! manager Name: text", "! manager resolves", "! admin: price SKU = 120000", "! admin: stock SKU = out", "! admin: import SKU = 120000, SKU in, SKU"';
}

function parseAdmin(text: string): AdminAction | string {
  const price = /^price\s+(\S+)\s*=\s*([\d\s]+)$/.exec(text);
  if (price?.[1] && price[2])
    return { kind: 'price', sku: price[1].toUpperCase(), price: Number(price[2].replace(/\s/g, '')) };
  const stock = /^stock\s+(\S+)\s*=\s*(in|out)$/.exec(text);
  if (stock?.[1] && stock[2]) return { kind: 'stock', sku: stock[1].toUpperCase(), available: stock[2] === 'in' };
  const imported = /^import\s+(.+)$/.exec(text);
  if (imported?.[1]) {
    const rows: ImportRow[] = [];
    for (const part of imported[1].split(',')) {
      const row = /^(\S+)(?:\s*=\s*([\d\s]*\d))?(?:\s+(in|out))?$/.exec(part.trim());
      if (!row?.[1]) return `import row "${part.trim()}": expected SKU, SKU = 120000, SKU in|out or SKU = 120000 out`;
      rows.push({
        sku: row[1].toUpperCase(),
        ...(row[2] ? { price: Number(row[2].replace(/\s/g, '')) } : {}),
        ...(row[3] ? { available: row[3] === 'in' } : {}),
      });
    }
    return { kind: 'catalogImport', rows };
  }
  return `unknown admin action "${text}" (price SKU = 120000, stock SKU = in|out, import SKU[ = price][ in|out], …)`;
}

function parseExpectation(rest: string): Expectation | string {
  const text = rest.replace(/^\s+/, '');
  if (text === '...' || text === '…') return { kind: 'any' };
  if (text === '(silence)') return { kind: 'silence' };
  if (text.startsWith('~ ') || text === '~') return { kind: 'contains', text: text.slice(2) };
  if (text.startsWith('= ') || text === '=') return { kind: 'exact', text: text.slice(2) };
  if (text.startsWith('/')) {
    const m = /^\/(.+)\/([dgimsuy]*)$/.exec(text);
    if (!m?.[1]) return 'a regex expectation looks like /Нашёл \\d+/ (use "= /text" for exact text starting with /)';
    try {
      new RegExp(m[1], m[2]);
    } catch (error) {
      return `bad regex: ${(error as Error).message}`;
    }
    return { kind: 'regex', pattern: m[1], flags: m[2] ?? '' };
  }
  const tagged = /^\[(products|product|choices|image)\]\s*(.*)$/.exec(text);
  if (tagged) {
    const [, tag, body = ''] = tagged;
    if (tag === 'image') return body === '' || body === '*' ? { kind: 'image' } : { kind: 'image', url: body };
    if (tag === 'choices') {
      const contains = body.startsWith('~ ');
      const labels = splitList(contains ? body.slice(2) : body, '|');
      if (labels.length === 0) return '[choices] needs labels separated by |';
      return { kind: 'choices', labels, mode: contains ? 'contains' : 'exact' };
    }
    const view = tag === 'product' ? 'detail' : 'list';
    if (body === '*') return { kind: 'products', view, skus: [], mode: 'any' };
    const contains = body.startsWith('~ ');
    const skus = splitList(contains ? body.slice(2) : body, ',');
    if (skus.length === 0) return `[${tag}] needs SKUs separated by commas (or * for any)`;
    return { kind: 'products', view, skus, mode: contains ? 'contains' : 'exact' };
  }
  if (text.startsWith('['))
    return `unknown reply tag in "${text}" (products, product, choices, image; use "= [" for exact text)`;
  return { kind: 'exact', text };
}

function splitList(body: string, separator: string): string[] {
  return body
    .split(separator)
    .map((part) => part.trim())
    .filter((part) => part.length > 0);
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

/** `2h`, `30m`, `1h30m`, `45s`, `1d` → milliseconds. */
export function parseDuration(spec: string): number | undefined {
  const m = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?\s*(?:(\d+)s)?$/.exec(spec);
  if (!m || spec.trim() === '') return undefined;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000;
}
