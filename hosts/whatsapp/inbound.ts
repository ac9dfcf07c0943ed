import type { ShopperEvent } from '../../engine/events.ts';
import { commandEvent, parseCommand } from '../channel/commands.ts';
import type { InboundMessage } from './envelope.ts';
import { OWN_NUMBER_ID, ownNumberEvent } from './ownNumber.ts';

/**
 * One WhatsApp message → one engine event (or nothing); the conversation key is the city of the
 * business number and the sender (intake.ts). The message id (wamid) is the idempotency key; the
 * caller passes it to the runtime.
 */

export function toShopperEvent(message: InboundMessage, at: string): ShopperEvent | null {
  switch (message.type) {
    case 'text': {
      const text = message.text?.body ?? '';
      const command = parseCommand(text);
      if (command) return commandEvent(command, at);
      if (!text.trim()) return null;
      return { type: 'text', text: text.slice(0, 20_000), at };
    }
    case 'image': {
      if (!message.image) return unsupported('image', at);
      const caption = message.image.caption?.trim();
      return caption
        ? { type: 'image', ref: message.image.id, caption: caption.slice(0, 20_000), at }
        : { type: 'image', ref: message.image.id, at };
    }
    case 'document': {
      // a photo sent "as a file"; its size is only known when it is downloaded, which checks it
      const document = message.document;
      if (!document) return unsupported('document', at);
      if (!document.mime_type?.toLowerCase().startsWith('image/'))
        return { type: 'unsupported', kind: 'document', ref: document.id, at };
      const caption = document.caption?.trim();
      return caption
        ? { type: 'image', ref: document.id, caption: caption.slice(0, 20_000), at }
        : { type: 'image', ref: document.id, at };
    }
    case 'audio':
    case 'voice': {
      // voice notes arrive as audio with `voice: true`; plain audio files are treated the same
      const audio = message.audio ?? message.voice;
      if (!audio) return unsupported(message.type, at);
      return { type: 'voice', ref: audio.id, at };
    }
    case 'interactive': {
      const id = message.interactive?.button_reply?.id ?? message.interactive?.list_reply?.id;
      // «📱 +7 701 …»: the sender confirms the number they write from
      if (id === OWN_NUMBER_ID) return ownNumberEvent(message.from, at);
      return id ? { type: 'choice', id: id.slice(0, 256), at } : unsupported('interactive', at);
    }
    case 'button': {
      // a template's quick-reply button: its payload is our option id, else its visible text
      const payload = message.button?.payload ?? message.button?.text;
      if (!payload) return unsupported('button', at);
      return { type: 'choice', id: payload.slice(0, 256), at };
    }
    case 'contacts':
      return sharedContact(message, at);
    case 'location':
      if (!message.location) return unsupported('location', at);
      return { type: 'location', latitude: message.location.latitude, longitude: message.location.longitude, at };
    // the shopper opened the chat for the first time (no message yet): greet them
    case 'request_welcome':
      return { type: 'command', command: 'start', at };
    // a reaction to one of our messages, or a system notice (number changed): nothing to answer
    case 'reaction':
    case 'system':
      return null;
    default:
      return unsupported(message.type, at);
  }
}

/**
 * A shared contact card: its first number, the shopper's own only when WhatsApp says it is the
 * sender's (its wa_id); a card from the address book usually names someone else.
 */
function sharedContact(message: InboundMessage, at: string): ShopperEvent {
  const first = (message.contacts ?? []).flatMap((c) => c.phones ?? []).find((p) => p.wa_id || p.phone?.trim());
  const phone = first?.wa_id && /^\d{1,31}$/.test(first.wa_id) ? `+${first.wa_id}` : first?.phone?.trim();
  if (!phone || phone.length > 32) return unsupported('contacts', at);
  return { type: 'contact', phone, own: first?.wa_id === message.from, at };
}

function unsupported(kind: string, at: string): ShopperEvent {
  return { type: 'unsupported', kind: kind.slice(0, 64) || 'unknown', at };
}
