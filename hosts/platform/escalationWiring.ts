import type { OpenedDatabase } from '../../storage/db/open.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { EscalationMediaKeeper, EscalationService, telegramManagerNotifier } from '../escalations/index.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Logger, RuntimePorts } from '../runtime/ports.ts';
import type { ConversationRuntime } from '../runtime/runtime.ts';
import type { Telegram } from '../telegram/index.ts';
import type { PlatformConfig } from './config.ts';

export type EscalationParts = {
  config: PlatformConfig;
  db: OpenedDatabase['db'];
  state: StateBackend;
  telegram: Telegram;
  /** the channels and the runtime are made after the escalations; both are only used once a turn runs */
  channels: () => RuntimePorts['channels'];
  runtime: () => ConversationRuntime;
  clock: () => Date;
  log: Logger;
};

/** Hand-offs to managers: notified in Telegram, answering there, with the shopper's media kept for them. */
export function createEscalations(p: EscalationParts): EscalationService {
  const { db, telegram, log } = p;
  const fetchShopperMedia = (address: ConversationAddress, ref: string) => {
    const channel = p.channels()[address.channel];
    if (!channel) throw new Error(`no channel ${address.channel}`);
    return channel.fetchMedia(address, ref);
  };
  const escalations = new EscalationService({
    db,
    pubsub: p.state.pubsub,
    media: new EscalationMediaKeeper(
      db,
      { fetch: fetchShopperMedia, storeChannels: ['whatsapp'], maxBytes: p.config.escalationMedia.maxBytes },
      log,
    ),
    deliver: (address, messageId, event) => p.runtime().deliver(address, messageId, event),
    notifiers: [telegramManagerNotifier(telegram.notifier)],
    clock: p.clock,
    log,
  });
  telegram.onManagerAction((action) =>
    escalations.recordExternal({
      escalationId: action.escalationId,
      action: action.action,
      ...(action.text ? { text: action.text } : {}),
      ...(action.managerName ? { managerName: action.managerName } : {}),
    }),
  );
  return escalations;
}
