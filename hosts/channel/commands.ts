import type { ShopperEvent } from '../../engine/events.ts';

/**
 * The one text-command parser every channel uses: a message that starts with `/name` is a command,
 * `/name@bot args` included. Names are case-insensitive and start with a letter, so «/2» or «/ 50»
 * stay text. Telegram layers its `bot_command` entity and its check of the `@bot` part on top
 * (telegram/inbound.ts); the other channels have no bot names and ignore the mention.
 */

export type TextCommand = {
  /** lower case, at most 64 characters */
  command: string;
  /** the rest of the message, trimmed, at most 500 characters */
  args?: string;
  /** `start@our_bot` → `our_bot` */
  mention?: string;
};

export const COMMAND_ARGS_MAX = 500;
const TOKEN = /^\/([A-Za-z][A-Za-z0-9_]{0,63})(?:@([A-Za-z0-9_]{1,64}))?(?=\s|$)/;

/** `/start`, `/lang en`, `/start@our_bot payload` → the command; undefined for anything else */
export function parseCommand(text: string): TextCommand | undefined {
  const trimmed = text.trimStart();
  const token = TOKEN.exec(trimmed);
  if (!token) return undefined;
  return commandOf(token[1]!, token[2], trimmed.slice(token[0].length));
}

/**
 * A command whose name a platform already marked (Telegram's `bot_command` entity): `token` is the
 * marked text (`/start@our_bot`), `rest` what follows it.
 */
export function commandFromToken(token: string, rest: string): TextCommand | undefined {
  const [name, mention] = token.replace(/^\//, '').split('@', 2) as [string, string | undefined];
  if (!name) return undefined;
  return commandOf(name, mention, rest);
}

function commandOf(name: string, mention: string | undefined, rest: string): TextCommand {
  const args = rest.trim().slice(0, COMMAND_ARGS_MAX);
  return {
    command: name.toLowerCase().slice(0, 64),
    ...(args ? { args } : {}),
    ...(mention ? { mention } : {}),
  };
}

/** The engine event of a parsed command (the mention has done its job by now). */
export function commandEvent(command: TextCommand, at: string): ShopperEvent {
  return { type: 'command', command: command.command, ...(command.args ? { args: command.args } : {}), at };
}
