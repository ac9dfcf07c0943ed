import type { ShopperEvent } from '../../engine/events.ts';
import type { Option } from '../../engine/replies.ts';
import { charLength, WA_LIMITS as L } from './limits.ts';

/**
 * WhatsApp has no «share my number» button, but every message comes from a number: the option of a
 * phone question that asks for the shopper's own (`request: 'contact'`) becomes a reply button (or a
 * list row) titled with the sender's number, and a tap on it is that number confirmed. WhatsApp
 * vouches for the sender's wa_id, so the tap is as good as Telegram's shared contact.
 */

/** the button's id both ways: rendered here, read back by inbound.ts */
export const OWN_NUMBER_ID = 'contact';

/**
 * «📱 +7 701 123 45 67» for a Kazakh (or Russian) wa_id, «📱 +<digits>» for any other; what fits a
 * button title (20 characters: an E.164 number always does, with its emoji).
 */
export function ownNumberTitle(waId: string): string | undefined {
  if (!/^\d{5,15}$/.test(waId)) return undefined;
  const kz = /^7(\d{3})(\d{3})(\d{2})(\d{2})$/.exec(waId);
  const number = kz ? `+7 ${kz[1]} ${kz[2]} ${kz[3]} ${kz[4]}` : `+${waId}`;
  return [`📱 ${number}`, number, `+${waId}`].find((title) => charLength(title) <= L.buttonTitle);
}

/** the phone options with the recipient's number as their title and the id a tap comes back with */
export function withOwnNumber(options: Option[], recipient: string | undefined): Option[] {
  return options.map((o) => {
    if (o.request !== 'contact') return o;
    const title = recipient === undefined ? undefined : ownNumberTitle(recipient);
    return { ...o, id: OWN_NUMBER_ID, label: title ?? o.label };
  });
}

/** the sender tapped their own number */
export function ownNumberEvent(from: string, at: string): ShopperEvent {
  return /^\d{1,31}$/.test(from)
    ? { type: 'contact', phone: `+${from}`, own: true, at }
    : { type: 'unsupported', kind: 'contacts', at };
}
