import type { Action, AdminAction, ImportRow } from './model.ts';

/**
 * The action lines of a transcript: what the shopper does ("> …"), what happens around them
 * ("! manager: …", "! admin: …") and how long they wait ("~ 2h"). Each parser answers the action
 * or the message that explains why the line cannot be read.
 */

const BRACKET = /^\[([a-z]+)(?:\s+("(?:[^"\\]|\\.)*"))?\]\s*(.*)$/;
/** `[contact +77011234567]`, `[contact +77019998877 other]`: the number inside the brackets, like a tap's label */
const CONTACT = /^\[contact\s+([^\]"]*)\]$/;

export function parseShopperAction(rest: string): Action | string {
  const text = rest.trim();
  if (!text) return 'a shopper line needs text (use "> [text] " for an empty message)';
  if (text.startsWith('/')) {
    const [head = '', ...args] = text.slice(1).split(/\s+/);
    const command = head.toLowerCase();
    if (!command) return 'a command needs a name: "/start"';
    const joined = args.join(' ');
    return joined ? { kind: 'command', command, args: joined } : { kind: 'command', command };
  }
  const contact = CONTACT.exec(text);
  if (contact) return parseContact(contact[1] ?? '');
  const bracket = BRACKET.exec(text);
  if (!bracket) return { kind: 'text', text };
  const [, tag = '', quoted, tail = ''] = bracket;
  const label = quoted === undefined ? undefined : (JSON.parse(quoted) as string);
  switch (tag) {
    case 'text':
      return { kind: 'text', text: label ?? rest.replace(/^\s*\[text\] ?/, '') };
    case 'tap':
      if (label !== undefined) return { kind: 'tapLabel', label };
      if (!tail) return '[tap] needs an option id ("[tap] p:SOFA-001") or a label ([tap "Подробнее"])';
      return { kind: 'tap', id: tail };
    case 'photo': {
      const m = /^(\S+)(?:\s+("(?:[^"\\]|\\.)*"))?$/.exec(tail);
      if (!m?.[1]) return '[photo] needs a fixture path, optionally followed by a "caption"';
      return m[2] ? { kind: 'photo', ref: m[1], caption: JSON.parse(m[2]) as string } : { kind: 'photo', ref: m[1] };
    }
    case 'voice':
      if (!tail || /\s/.test(tail)) return '[voice] needs one fixture path';
      return { kind: 'voice', ref: tail };
    case 'location': {
      const m = /^(-?\d+(?:\.\d+)?)\s*,\s*(-?\d+(?:\.\d+)?)$/.exec(tail);
      if (!m) return '[location] needs "latitude, longitude"';
      return { kind: 'location', latitude: Number(m[1]), longitude: Number(m[2]) };
    }
    case 'unsupported':
      return { kind: 'unsupported', what: tail || 'sticker' };
    case 'contact':
      return parseContact(tail);
    default:
      return `unknown shopper action [${tag}] (text, tap, photo, voice, location, contact, unsupported)`;
  }
}

/** the number as channels vouch for it (E.164: «+», country code, digits), so every target shares the same one */
function parseContact(spec: string): Action | string {
  const m = /^(\+\d{5,15})(?:\s+(other))?$/.exec(spec.trim());
  if (!m?.[1])
    return '[contact] needs a phone number in the +77011234567 form, then "other" when it is not the shopper\'s own: [contact +77019998877 other]';
  return { kind: 'contact', phone: m[1], own: m[2] === undefined };
}

export function parseWorldAction(rest: string): Action | string {
  if (/^manager\s+resolves$/i.test(rest)) return { kind: 'managerResolve' };
  const manager = /^manager(?:\s+([^:]+?))?\s*:\s*(.+)$/s.exec(rest);
  if (manager?.[2]) {
    return manager[1]
      ? { kind: 'managerReply', text: manager[2], name: manager[1] }
      : { kind: 'managerReply', text: manager[2] };
  }
  const admin = /^admin\s*:\s*(.+)$/.exec(rest);
  if (admin?.[1]) {
    const parsed = parseAdmin(admin[1].trim());
    return typeof parsed === 'string' ? parsed : { kind: 'admin', admin: parsed };
  }
  return 'unknown world action; use "! manager: text", "! manager Name: text", "! manager resolves", "! admin: price SKU = 120000", "! admin: stock SKU = out", "! admin: import SKU = 120000, SKU in, SKU"';
}

function parseAdmin(text: string): AdminAction | string {
  const price = /^price\s+(\S+)\s*=\s*([\d\s]+)$/.exec(text);
  if (price?.[1] && price[2])
    return { kind: 'price', sku: price[1].toUpperCase(), price: Number(price[2].replace(/\s/g, '')) };
  const stock = /^stock\s+(\S+)\s*=\s*(in|out)$/.exec(text);
  if (stock?.[1] && stock[2]) return { kind: 'stock', sku: stock[1].toUpperCase(), available: stock[2] === 'in' };
  const imported = /^import\s+(.+)$/.exec(text);
  if (imported?.[1]) {
    const rows: ImportRow[] = [];
    for (const part of imported[1].split(',')) {
      const row = /^(\S+)(?:\s*=\s*([\d\s]*\d))?(?:\s+(in|out))?$/.exec(part.trim());
      if (!row?.[1]) return `import row "${part.trim()}": expected SKU, SKU = 120000, SKU in|out or SKU = 120000 out`;
      rows.push({
        sku: row[1].toUpperCase(),
        ...(row[2] ? { price: Number(row[2].replace(/\s/g, '')) } : {}),
        ...(row[3] ? { available: row[3] === 'in' } : {}),
      });
    }
    return { kind: 'catalogImport', rows };
  }
  return `unknown admin action "${text}" (price SKU = 120000, stock SKU = in|out, import SKU[ = price][ in|out], …)`;
}

/** `2h`, `30m`, `1h30m`, `45s`, `1d` → milliseconds. */
export function parseDuration(spec: string): number | undefined {
  const m = /^(?:(\d+)d)?\s*(?:(\d+)h)?\s*(?:(\d+)m(?:in)?)?\s*(?:(\d+)s)?$/.exec(spec);
  if (!m || spec.trim() === '') return undefined;
  const [, d = '0', h = '0', min = '0', s = '0'] = m;
  return ((Number(d) * 24 + Number(h)) * 60 + Number(min)) * 60_000 + Number(s) * 1000;
}
