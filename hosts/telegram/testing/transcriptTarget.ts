import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Product } from '../../../engine/catalog.ts';
import type { Scenario } from '../../../engine/index.ts';
import {
  createMemoryHost,
  type ImageFixture,
  type MemoryHost,
  type VoiceFixture,
} from '../../../engine/testing/memoryHost.ts';
import type { TargetAction, TranscriptHeader } from '../../../engine/transcript/model.ts';
import type { TranscriptTarget, TurnContext, TurnOutput } from '../../../engine/transcript/target.ts';
import type { StateBackend } from '../../../storage/state/types.ts';
import type { RecordedCall } from './fakeBotApi.ts';
import { startTelegramHarness, type TelegramHarness } from './harness.ts';
import { productHandle } from '../../../engine/machine/handles.ts';
import { unrender } from './unrender.ts';
import * as u from './updates.ts';
import { textsOfEveryLang } from '../../channel/testing/texts.ts';

/**
 * Replays a transcript through the Telegram host: every shopper action becomes Update JSON posted
 * to the real webhook route, manager actions are replies in the city's managers' chat to the
 * bot's escalation notice, and what reached the fake Bot API is turned back into channel-neutral
 * replies (unrender.ts) for matching.
 */
export type TelegramTargetOptions = {
  scenario: Scenario;
  catalog: readonly Product[];
  images: Record<string, ImageFixture>;
  voices: Record<string, VoiceFixture>;
  /** where fixture paths such as `fixtures/images/x.png` are read from */
  scenariosDir: string;
  state?: () => Promise<StateBackend>;
};

export function createTelegramTarget(o: TelegramTargetOptions): TranscriptTarget {
  let harness: TelegramHarness | undefined;
  let host: MemoryHost = createMemoryHost({
    catalog: o.catalog,
    images: o.images,
    voices: o.voices,
    intents: o.scenario.intents,
  });
  let chatId = 0;

  const fixtureBytes = async (ref: string) => {
    try {
      return new Uint8Array(await readFile(join(o.scenariosDir, ref)));
    } catch {
      return new TextEncoder().encode(`fixture ${ref}`);
    }
  };
  const handles = new Map(o.catalog.map((p) => [productHandle(p.sku), p.sku]));
  const skuOf = (handle: string) => handles.get(handle) ?? handle;
  const texts = textsOfEveryLang(o.scenario);
  /** the text buttons of the reply keyboard last shown: tapping one sends its label as a message */
  let typed = new Set<string>();
  const out = (calls: RecordedCall[], notes: string[] = []): TurnOutput => {
    for (const call of calls) {
      const markup = call.params.reply_markup as
        | { keyboard?: { text: string; request_contact?: boolean }[][]; remove_keyboard?: boolean }
        | undefined;
      if (markup?.remove_keyboard) typed = new Set();
      if (markup?.keyboard)
        typed = new Set(
          markup.keyboard
            .flat()
            .filter((b) => !b.request_contact)
            .map((b) => b.text),
        );
    }
    return { replies: unrender(calls, { skuOf, texts }), notes };
  };

  async function perform(action: TargetAction, ctx: TurnContext): Promise<TurnOutput> {
    const h = harness!;
    h.setNow(ctx.at);
    h.setRecorded(ctx.recorded);
    const me = u.shopper(chatId);
    switch (action.kind) {
      case 'text':
        // a text that looks like a command is one in Telegram
        return out(await (action.text.startsWith('/') ? h.command(chatId, action.text) : h.say(chatId, action.text)));
      case 'command':
        return out(await h.command(chatId, `/${action.command}${action.args ? ` ${action.args}` : ''}`));
      case 'tap':
        return out(await (typed.has(action.id) ? h.say(chatId, action.id) : h.tap(chatId, action.id)));
      case 'photo':
        // the file name survives the download (`photos/<name>.jpg`), so the fixture world knows the photo
        return out(
          await h.photo(chatId, { name: basename(action.ref), bytes: await fixtureBytes(action.ref) }, action.caption),
        );
      case 'voice':
        return out(await h.voice(chatId, { name: basename(action.ref), bytes: await fixtureBytes(action.ref) }));
      case 'location':
        return out(await h.send(chatId, u.locationUpdate(h.nextUpdateId(), me, action.latitude, action.longitude)));
      case 'contact':
        // the «📱» button shares the sender's own contact (clients send the number without «+»); a card of someone else names them
        return out(
          await h.send(
            chatId,
            u.contactUpdate(h.nextUpdateId(), me, {
              phone: action.phone.replace(/^\+/, ''),
              ...(action.own ? {} : { userId: chatId + 1, firstName: 'Другой' }),
            }),
          ),
        );
      case 'unsupported': {
        const builders: Record<string, (id: number, p: u.Person) => object> = {
          sticker: u.stickerUpdate,
          document: u.documentUpdate,
          video: u.videoUpdate,
          // a contact card without a number: a contact the bot cannot use
          contact: (id, p) => u.contactUpdate(id, p, { phone: '' }),
          poll: u.pollUpdate,
        };
        const build = builders[action.what] ?? u.stickerUpdate;
        return out(await h.send(chatId, build(h.nextUpdateId(), me)));
      }
      case 'wait':
        return out((await h.advance(ctx.at)).filter((c) => String(c.params.chat_id) === String(chatId)));
      case 'managerReply':
        return out(await h.managerSays(chatId, action.text, action.name), [`manager replied in the managers' chat`]);
      case 'managerResolve':
        return out(await h.managerSays(chatId, '/resolve'), [`manager resolved in the managers' chat`]);
      case 'admin': {
        const events = await host.admin(action.admin, ctx.at);
        const sent: RecordedCall[] = [];
        for (const event of events) sent.push(...(await h.deliver(chatId, event)));
        return out(sent);
      }
    }
  }

  return {
    async start(header: TranscriptHeader) {
      await harness?.close();
      host = createMemoryHost({ catalog: o.catalog, images: o.images, voices: o.voices, intents: o.scenario.intents });
      host.start(header);
      typed = new Set();
      chatId = 100_000_000 + Math.floor(Math.random() * 1e8);
      harness = await startTelegramHarness({
        scenario: o.scenario,
        host,
        city: header.city,
        lang: header.lang,
        start: header.at,
        ...(o.state ? { state: o.state } : {}),
      });
    },
    async perform(action, ctx) {
      try {
        return await perform(action, ctx);
      } catch (error) {
        return {
          replies: [],
          error: `telegram target: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        };
      }
    },
    async close() {
      await harness?.close();
      harness = undefined;
    },
  };
}
