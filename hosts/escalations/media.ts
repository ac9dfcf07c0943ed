import type { Kysely } from 'kysely';
import type { ShopperMedia } from '../../engine/effects.ts';
import type { Database } from '../../storage/db/types.ts';
import { getEscalationMedia, saveEscalationMedia } from '../../storage/repos/escalationMedia.ts';
import type { ConversationAddress } from '../runtime/address.ts';
import type { Logger, Media } from '../runtime/ports.ts';

export type EscalationMediaOptions = {
  /** downloads a shopper's media through the conversation's channel */
  fetch: (address: ConversationAddress, ref: string) => Promise<Media>;
  /** channels whose media handles expire (WhatsApp): their bytes are stored when the message arrives */
  storeChannels: readonly string[];
  /** larger files keep only their handle */
  maxBytes: number;
};

/**
 * The photos and voice notes shoppers send during an escalation, for the admin inbox. Keeping
 * them never stands in the way of the message itself: a failed download keeps the handle only.
 */
export class EscalationMediaKeeper {
  readonly #db: Kysely<Database>;
  readonly #opts: EscalationMediaOptions;
  readonly #log: Logger | undefined;

  constructor(db: Kysely<Database>, opts: EscalationMediaOptions, log?: Logger) {
    this.#db = db;
    this.#opts = opts;
    this.#log = log;
  }

  /** the stored bytes, when they were stored */
  async keep(address: ConversationAddress, messageId: string, media: ShopperMedia): Promise<Media | undefined> {
    let stored: Media | undefined;
    if (this.#opts.storeChannels.includes(address.channel)) {
      try {
        const fetched = await this.#opts.fetch(address, media.ref);
        if (fetched.bytes.byteLength <= this.#opts.maxBytes) stored = fetched;
        else
          this.#log?.info(
            { messageId, bytes: fetched.bytes.byteLength },
            'escalation media over the storage cap; only its handle is kept',
          );
      } catch (error) {
        this.#log?.warn(
          { messageId, err: error instanceof Error ? error.message : String(error) },
          'escalation media could not be downloaded; only its handle is kept',
        );
      }
    }
    await saveEscalationMedia(this.#db, {
      messageId,
      kind: media.kind,
      ref: media.ref,
      ...(stored ? { mime: stored.mime, bytes: stored.bytes } : {}),
    });
    return stored;
  }

  /** the bytes to show a manager: stored ones, or fetched now from a channel whose handles last; undefined when gone */
  async read(
    address: ConversationAddress,
    messageId: string,
  ): Promise<{ bytes: Uint8Array; mime: string } | undefined> {
    const media = await getEscalationMedia(this.#db, messageId);
    if (!media) return undefined;
    if (media.bytes) return { bytes: media.bytes, mime: media.mime ?? 'application/octet-stream' };
    if (this.#opts.storeChannels.includes(address.channel)) return undefined;
    try {
      const fetched = await this.#opts.fetch(address, media.ref);
      return { bytes: fetched.bytes, mime: fetched.mime };
    } catch (error) {
      this.#log?.warn(
        { messageId, err: error instanceof Error ? error.message : String(error) },
        'escalation media could not be fetched from its channel',
      );
      return undefined;
    }
  }
}
