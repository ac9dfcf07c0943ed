import type { OpenedDatabase } from '../../storage/db/open.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import type { ChannelDirectory } from '../channel/host.ts';
import { EscalationMediaKeeper, EscalationService, telegramManagerNotifier } from '../escalations/index.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Logger } from '../runtime/ports.ts';
import type { TelegramHost } from '../telegram/index.ts';
import type { PlatformConfig } from './config.ts';

export type EscalationParts = {
  config: PlatformConfig;
  db: OpenedDatabase['db'];
  state: StateBackend;
  /** the runtime's channel directory: shoppers' media is fetched through the channel it came from */
  channels: ChannelDirectory;
  clock: () => Date;
  log: Logger;
};

/**
 * Hand-offs to managers, with the shopper's media kept for them. Built before the runtime (it is
 * one of its ports); the platform then connects it to the runtime (`deliverThrough`) and to the
 * managers' Telegram chats (`connectTelegramManagers`).
 */
export function createEscalations(p: EscalationParts): EscalationService {
  const fetchShopperMedia = (address: ConversationAddress, ref: string) => {
    const channel = p.channels.ports[address.channel];
    if (!channel) throw new Error(`no channel ${address.channel}`);
    return channel.fetchMedia(address, ref);
  };
  return new EscalationService({
    db: p.db,
    pubsub: p.state.pubsub,
    media: new EscalationMediaKeeper(
      p.db,
      { fetch: fetchShopperMedia, storeChannels: ['whatsapp'], maxBytes: p.config.escalationMedia.maxBytes },
      p.log,
    ),
    clock: p.clock,
    log: p.log,
  });
}

/** Managers are told in their city's Telegram chat and answer there; their answers are recorded. */
export function connectTelegramManagers(escalations: EscalationService, telegram: TelegramHost): void {
  escalations.addNotifier(telegramManagerNotifier(telegram.notifier));
  telegram.onManagerAction((action) =>
    escalations.recordExternal({
      escalationId: action.escalationId,
      action: action.action,
      ...(action.text ? { text: action.text } : {}),
      ...(action.managerName ? { managerName: action.managerName } : {}),
    }),
  );
}
