import type { ChannelPort, Media } from '../runtime/ports.ts';
import type { ChatUploads } from './uploads.ts';

/**
 * The web ChannelPort. Replies travel in the HTTP response of the turn (the Reply wire form, no
 * rendering); proactive ones are only in the message log. Shopper photos come from the uploads.
 */
export function webChannel(uploads: ChatUploads): ChannelPort {
  return {
    async send() {},
    fetchMedia(address, ref): Promise<Media> {
      return uploads.open({ city: address.city, userId: address.chatId }, ref);
    },
  };
}
