import type { Option, Reply } from '../../engine/replies.ts';
import {
  optionsOf,
  type TargetAction,
  type Transcript,
  type Turn,
  type TurnResult,
} from '../../engine/transcript/index.ts';

/**
 * Transcripts as Botium test cases: one `.convo.txt` per transcript (shopper texts and button taps
 * as `#me`, each reply the bot gave as one `#bot` with its text, BUTTONS and CARDS) and a
 * `botium.json` for Botium's SIMPLEREST connector against `POST /api/chat/:city`. Pure: the
 * replies come from a replay of the transcript, the files are written by the caller.
 */

/**
 * How much of a transcript Botium can drive through `/api/chat`: the turns before the first one it
 * cannot, and why it stops there (`stop` undefined: all of it).
 */
export function drivablePart(transcript: Transcript): { turns: Turn[]; stop?: string } {
  if (transcript.header.extra['known-issue'])
    return { turns: [], stop: 'documents a known bug (it is expected to fail)' };
  if (transcript.header.extra['manager-hours'])
    return { turns: [], stop: "the managers' hours depend on the clock, which a live server's cannot be set" };
  const index = transcript.turns.findIndex((turn) => turnReason(turn) !== undefined);
  if (index < 0) return { turns: transcript.turns };
  const turn = transcript.turns[index]!;
  return { turns: transcript.turns.slice(0, index), stop: `line ${turn.line}: ${turnReason(turn)}` };
}

function turnReason(turn: Turn): string | undefined {
  if (turn.recorded.length > 0)
    return 'uses recorded results of outside services (= lines), which a live server cannot be given';
  return actionReason(turn);
}

/** a command the web chat reads as one: `/name`, letters and underscores */
const WEB_COMMAND = /^[a-z_]{1,32}$/;

function actionReason(turn: Turn): string | undefined {
  const action = turn.action;
  switch (action.kind) {
    case 'text':
      return action.text.trim().startsWith('/') ? 'text starting with "/" is a command on the web channel' : undefined;
    case 'command':
      return WEB_COMMAND.test(action.command)
        ? undefined
        : `"/${action.command}" is text, not a command, on the web channel`;
    case 'tap':
    case 'tapLabel':
      return undefined;
    case 'photo':
      return 'sends a photo (SIMPLEREST sends text and button taps only)';
    case 'voice':
      return 'sends a voice note (the web channel has none)';
    case 'location':
      return 'sends a location (the web channel has none)';
    case 'contact':
      return 'shares a contact (SIMPLEREST sends text and button taps only)';
    case 'unsupported':
      return `sends a ${action.what} (the web channel has none)`;
    case 'wait':
      return "lets time pass (~); a live server's clock cannot be moved";
    case 'managerReply':
    case 'managerResolve':
      return "a manager acts in the managers' chat";
    case 'admin':
      return 'an admin changes the catalog mid-conversation';
  }
}

/** What a turn sent and what the bot answered, as a replay on the web channel saw it. */
export type ReplayedTurn = { action: TargetAction; replies: readonly Reply[] };

/**
 * The replayed turns with taps by label turned into taps by option id, as the replay resolved
 * them (the most recent button with that label): Botium taps by payload.
 */
export function replayedTurns(results: readonly TurnResult[]): ReplayedTurn[] {
  let seen: Option[] = [];
  return results.map(({ turn, replies }) => {
    let action: TargetAction;
    if (turn.action.kind === 'tapLabel') {
      const label = fold(turn.action.label);
      const option = seen.find((o) => fold(o.label) === label);
      if (!option) throw new Error(`line ${turn.line}: no button labelled "${turn.action.label}" in earlier replies`);
      action = { kind: 'tap', id: option.id };
    } else {
      action = turn.action;
    }
    seen = [...optionsOf(replies), ...seen];
    return { action, replies };
  });
}

const fold = (text: string) => text.trim().toLowerCase().replace(/ё/g, 'е');

export function toConvo(title: string, turns: readonly ReplayedTurn[]): string {
  const out: string[] = [oneLine(title)];
  for (const { action, replies } of turns) {
    out.push('', '#me', ...meLines(action));
    for (const reply of replies) out.push('', '#bot', ...botLines(reply));
  }
  return `${out.join('\n')}\n`;
}

function meLines(action: TargetAction): string[] {
  switch (action.kind) {
    case 'text':
      return textLines(action.text);
    case 'command':
      return [`/${action.command}${action.args ? ` ${action.args}` : ''}`];
    case 'tap':
      return [`BUTTON ${arg(action.id)}`];
    default:
      throw new Error(`a ${action.kind} cannot be sent through /api/chat`);
  }
}

function botLines(reply: Reply): string[] {
  switch (reply.type) {
    case 'text':
      return textLines(reply.text);
    case 'choices':
      return [
        ...(reply.text ? textLines(reply.text) : []),
        `BUTTONS ${reply.options.map((o) => arg(o.label)).join('|')}`,
        `BUTTONS_COUNT ${reply.options.length}`,
      ];
    case 'products':
      return [`CARDS ${reply.items.map((i) => arg(i.sku)).join('|')}`, `CARDS_COUNT ${reply.items.length}`];
    case 'image':
      return [`MEDIA ${arg(reply.url)}`];
  }
}

/** Botium reads a leading `?` or `!` as "optional" or "not"; doubled, it is the character itself. */
function textLines(text: string): string[] {
  const lines = text.replace(/\r/g, '').split('\n');
  if (/^[?!]/.test(lines[0]!)) lines[0] = `${lines[0]![0]}${lines[0]}`;
  // a line starting with # would open a new section
  return lines.map((line) => (line.startsWith('#') ? ` ${line}` : line));
}

const arg = (value: string) => value.replace(/\|/g, '\\|');
const oneLine = (text: string) => text.replace(/\s+/g, ' ').trim() || 'ZETA transcript';

/**
 * Botium's SIMPLEREST connector against one city's `/api/chat`: one bot message per reply,
 * texts from `text`, buttons from `options` (tapped by id), cards from `items` (text: SKU).
 * Each Botium conversation is a new shopper starting in `lang`.
 */
export function botiumConfig(o: { baseUrl: string; city: string; lang: string; token: string }): object {
  const choice = '{{#msg.buttons.0.payload}}"choice":"{{msg.messageText}}"{{/msg.buttons.0.payload}}';
  const text = '{{^msg.buttons.0.payload}}"text":"{{msg.messageText}}"{{/msg.buttons.0.payload}}';
  return {
    botium: {
      Capabilities: {
        PROJECTNAME: `ZETA ${o.city} (${o.lang})`,
        CONTAINERMODE: 'simplerest',
        SIMPLEREST_URL: `${o.baseUrl.replace(/\/$/, '')}/api/chat/${encodeURIComponent(o.city)}`,
        SIMPLEREST_METHOD: 'POST',
        SIMPLEREST_HEADERS_TEMPLATE: { Authorization: `Bearer ${o.token}` },
        SIMPLEREST_BODY_TEMPLATE: `{"userId":"botium-{{botium.conversationId}}","lang":${JSON.stringify(o.lang)},${choice}${text}}`,
        SIMPLEREST_BODY_JSONPATH: '$.replies[*]',
        SIMPLEREST_RESPONSE_JSONPATH: '$.text',
        SIMPLEREST_BUTTONS_JSONPATH: '$.options[*]',
        SIMPLEREST_BUTTONS_TEXT_SUBJSONPATH: '$.label',
        SIMPLEREST_BUTTONS_PAYLOAD_SUBJSONPATH: '$.id',
        SIMPLEREST_CARDS_JSONPATH: '$.items[*]',
        SIMPLEREST_CARD_TEXT_JSONPATH: '$.sku',
        SIMPLEREST_CARD_SUBTEXT_JSONPATH: '$.name',
        SIMPLEREST_CARD_BUTTONS_JSONPATH: '$.options[*]',
        SIMPLEREST_CARD_BUTTONS_TEXT_SUBJSONPATH: '$.label',
        SIMPLEREST_CARD_BUTTONS_PAYLOAD_SUBJSONPATH: '$.id',
        SIMPLEREST_CARD_ATTACHMENTS_JSONPATH: '$.imageUrl',
        SIMPLEREST_MEDIA_JSONPATH: '$.url',
        SCRIPTING_MATCHING_MODE: 'equals',
        WAITFORBOTTIMEOUT: 20_000,
      },
    },
  };
}
