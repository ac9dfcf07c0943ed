import type { ShopperEvent, SystemEvent } from '../../engine/events.ts';
import type { DeadLetter } from '../../storage/repos/deadLetters.ts';
import { parseConversationKey } from '../runtime/address.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';

/**
 * How the admin API retries a dead letter: its message goes into its conversation's inbox again
 * under `messageId` (a new id, so the inbox does not take it for the duplicate of the message that
 * failed). The engine validates the stored event like any other, so a bad one gets its warning.
 */
export function deadLetterRetry(runtime: ConversationRuntime) {
  return async (letter: DeadLetter, messageId: string): Promise<'accepted' | 'duplicate'> => {
    const address = parseConversationKey(letter.conversationKey);
    if (!address) throw new Error(`dead letter ${letter.id} names no conversation (${letter.conversationKey})`);
    return letter.system
      ? runtime.deliver(address, messageId, letter.event as SystemEvent)
      : runtime.accept(address, messageId, letter.event as ShopperEvent, letter.test ? { testTraffic: true } : {});
  };
}
