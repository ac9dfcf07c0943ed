import { LANGS, type Lang } from '../../engine/catalog.ts';
import type { Reply } from '../../engine/replies.ts';
import { channelTexts, type ChannelTexts } from '../../engine/scenario/channelTexts.ts';
import { shippedChannelTexts, shippedText } from '../scenarios/shipped.ts';
import type { ConversationAddress } from './address.ts';
import type { InboxTurn } from './commitAndDeliver.ts';
import type { RuntimePorts } from './ports.ts';
import { deliveredTurnRecords } from './records.ts';
import { encodeTurnRecords } from './relay.ts';
import type { Stored } from './stored.ts';
import { isUnavailable } from './turn.ts';

/**
 * Giving up a message whose turn failed `maxAttempts` times, without losing it: the shopper gets
 * the scenario's calm `messageFailed` text (a manager will look), and the inbox item is
 * acknowledged with a dead letter — the message, the last error, the attempts — that travels with
 * the acknowledgement's records to the database, where admins see it and can retry it. Nothing is
 * committed: the conversation's state stays as it was before the message.
 */

export type Failure = { error: string; attempts: number };

/** The scenario's `messageFailed` text and channel words in `lang`; the shipped ones when the scenario cannot be read. */
async function messageFailedWords(
  ports: RuntimePorts,
  address: ConversationAddress,
  lang: string | undefined,
): Promise<{ reply: Reply; texts: ChannelTexts }> {
  const known = (LANGS as readonly string[]).includes(lang ?? '') ? (lang as Lang) : undefined;
  const fromScenario = await Promise.resolve()
    .then(() => ports.scenarios.forConversation(address))
    .then(
      (scenario) => {
        const inLang = known ?? scenario.defaultLang;
        const text = scenario.texts[inLang]?.messageFailed ?? scenario.texts[scenario.defaultLang]?.messageFailed;
        return text ? { reply: { type: 'text' as const, text }, texts: channelTexts(scenario, inLang) } : undefined;
      },
      () => undefined,
    );
  return (
    fromScenario ?? {
      reply: { type: 'text', text: shippedText('messageFailed', known) },
      texts: shippedChannelTexts(known),
    }
  );
}

/** Tells the shopper and returns the records (with the dead letter) to acknowledge the item with. */
export async function giveUpMessage(
  turnIn: InboxTurn,
  stored: Stored | undefined,
  failure: Failure,
): Promise<{ record?: string; replies: Reply[] }> {
  const { ports, key, item } = turnIn;
  const { address, event, system, lang: hinted, testTraffic } = turnIn.payload;
  const lang: string | undefined = stored?.p?.snapshot?.context?.lang ?? hinted;
  const replies: Reply[] = [];
  // a timer or a manager's reply was not the shopper's words: there is nothing to tell them
  if (!system) {
    const { reply, texts } = await messageFailedWords(ports, address, lang);
    replies.push(reply);
    const channel = ports.channels[address.channel];
    try {
      await channel?.send(address, replies, {
        proactive: false,
        messageId: item.id,
        ...(lang ? { lang: lang as Lang } : {}),
        texts,
      });
    } catch (error) {
      if (isUnavailable(error)) throw error;
      // the dead letter is what matters: a manager sees it even if this apology did not arrive
      ports.log.warn(
        { conversationKey: key, messageId: item.id, err: error instanceof Error ? error.message : String(error) },
        'the shopper could not be told their message failed',
      );
    }
  }
  const at = ports.clock();
  const record = encodeTurnRecords({
    ...deliveredTurnRecords({
      key: `${key}|${item.id}`,
      conversationKey: key,
      address,
      event,
      system,
      replies,
      tracked: [],
      leads: [],
      at,
      testTraffic: stored?.test === true || testTraffic === true,
    }),
    deadLetter: {
      kind: 'message',
      address,
      conversationKey: key,
      messageId: item.id,
      system,
      event,
      replies: [],
      ...failure,
      at,
    },
  });
  return { ...(record !== undefined ? { record } : {}), replies };
}
