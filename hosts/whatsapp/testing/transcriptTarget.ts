import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Scenario } from '../../../engine/index.ts';
import type { Product } from '../../../engine/catalog.ts';
import { productHandle } from '../../../engine/machine/handles.ts';
import { createMemoryHost, type ImageFixture, type VoiceFixture } from '../../../engine/testing/memoryHost.ts';
import type { TargetAction, TranscriptHeader } from '../../../engine/transcript/model.ts';
import type { TranscriptTarget, TurnContext, TurnOutput } from '../../../engine/transcript/target.ts';
import type { StateBackend } from '../../../storage/state/types.ts';
import type { OutboundMessage } from '../messages.ts';
import { OWN_NUMBER_ID } from '../ownNumber.ts';
import { unrender } from './unrender.ts';
import type { SentMessage } from './fakeGraph.ts';
import { startWhatsAppHarness, type Harness } from './harness.ts';
import type { InboundSpec } from './payloads.ts';
import { textsOfEveryLang } from '../../channel/testing/texts.ts';

/**
 * Replays a transcript through the WhatsApp host: every shopper action becomes a signed webhook
 * in Meta's shape, the real runtime and engine answer, and what reached the fake Graph API is
 * turned back into channel-neutral replies (unrender.ts). Proactive messages after more than 24
 * hours of silence go out as a template — WhatsApp's rule — and such turns carry a note.
 */
export type WhatsAppTargetOptions = {
  scenario: Scenario;
  catalog: readonly Product[];
  images: Record<string, ImageFixture>;
  voices: Record<string, VoiceFixture>;
  /** where fixture paths such as `fixtures/images/x.png` are read from */
  scenariosDir: string;
  state?: () => Promise<StateBackend>;
};

export type WhatsAppTarget = TranscriptTarget & { templates(): number };

export function createWhatsAppTarget(o: WhatsAppTargetOptions): WhatsAppTarget {
  let harness: Harness | undefined;
  let chatId = '';
  let templates = 0;
  const listIds = new Set<string>();

  const handles = new Map(o.catalog.map((p) => [productHandle(p.sku), p.sku]));
  const texts = textsOfEveryLang(o.scenario);
  const toReplies = (sent: SentMessage[], notes: string[]) => {
    for (const m of sent) {
      if (m.type === 'template') {
        templates += 1;
        notes.push(`template ${(m.body.template as { name: string }).name} (24-hour window closed)`);
      }
      if (m.type === 'interactive') {
        const i = m.body.interactive as { type: string; action: { sections?: { rows: { id: string }[] }[] } };
        if (i.type === 'list') for (const s of i.action.sections ?? []) for (const r of s.rows) listIds.add(r.id);
      }
    }
    return unrender(
      sent.map((m) => m.body as unknown as OutboundMessage),
      (handle) => handles.get(handle) ?? handle,
      texts,
    );
  };

  const media = async (ref: string, mime: string) => {
    const id = basename(ref);
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await readFile(join(o.scenariosDir, ref)));
    } catch {
      bytes = new TextEncoder().encode(`fixture ${ref}`);
    }
    harness!.graph.addMedia(id, { bytes, mime });
    return id;
  };

  async function perform(action: TargetAction, ctx: TurnContext): Promise<TurnOutput> {
    const h = harness!;
    h.setNow(ctx.at);
    h.setRecorded(ctx.recorded);
    const notes: string[] = [];
    const say = async (spec: InboundSpec) => ({ replies: toReplies(await h.say(chatId, spec), notes), notes });
    switch (action.kind) {
      case 'text':
        return say({ type: 'text', body: action.text });
      case 'command':
        return say({ type: 'text', body: `/${action.command}${action.args ? ` ${action.args}` : ''}` });
      case 'tap':
        return say(
          listIds.has(action.id)
            ? { type: 'list_reply', id: action.id, title: action.id.slice(0, 24) }
            : { type: 'button_reply', id: action.id, title: action.id.slice(0, 20) },
        );
      case 'photo':
        return say({
          type: 'image',
          mediaId: await media(action.ref, 'image/jpeg'),
          ...(action.caption ? { caption: action.caption } : {}),
        });
      case 'voice':
        return say({ type: 'audio', mediaId: await media(action.ref, 'audio/ogg; codecs=opus'), voice: true });
      case 'location':
        return say({ type: 'location', latitude: action.latitude, longitude: action.longitude });
      case 'contact': {
        const digits = action.phone.slice(1);
        if (!action.own)
          return say({ type: 'contacts', name: 'Другой', phones: [{ phone: action.phone, wa_id: digits }] });
        // the shopper's own number is the one they write from: the «📱» button of the phone question confirms it
        if (digits !== chatId)
          return {
            replies: [],
            error: `whatsapp target: the shopper writes from +${chatId}; for their own ${action.phone} add "@ phone ${action.phone}" to the header`,
          };
        return say(
          listIds.has(OWN_NUMBER_ID)
            ? { type: 'list_reply', id: OWN_NUMBER_ID, title: action.phone }
            : { type: 'button_reply', id: OWN_NUMBER_ID, title: action.phone },
        );
      }
      case 'unsupported':
        return say(
          action.what === 'sticker' || action.what === 'document'
            ? { type: action.what, mediaId: `M-${randomUUID().slice(0, 8)}` }
            : { type: 'other', kind: action.what },
        );
      case 'wait':
        return {
          replies: toReplies(
            (await h.advance(ctx.at)).filter((m) => m.to === chatId),
            notes,
          ),
          notes,
        };
      case 'managerReply':
        return {
          replies: toReplies(
            await h.deliver(chatId, {
              type: 'manager.replied',
              text: action.text,
              ...(action.name ? { managerName: action.name } : {}),
              at: ctx.at,
            }),
            notes,
          ),
          notes,
        };
      case 'managerResolve':
        return { replies: toReplies(await h.deliver(chatId, { type: 'manager.resolved', at: ctx.at }), notes), notes };
      case 'admin': {
        const events = await host.admin(action.admin, ctx.at);
        const sent: SentMessage[] = [];
        for (const event of events) sent.push(...(await h.deliver(chatId, event)));
        return { replies: toReplies(sent, notes), notes };
      }
    }
  }

  let host = createMemoryHost({ catalog: o.catalog, images: o.images, voices: o.voices, intents: o.scenario.intents });

  return {
    async start(header: TranscriptHeader) {
      await harness?.close();
      host = createMemoryHost({ catalog: o.catalog, images: o.images, voices: o.voices, intents: o.scenario.intents });
      host.start(header);
      listIds.clear();
      // `@ phone +77011234567`: the shopper writes from that number (their own contact is it)
      const phone = /^\+(\d{5,15})$/.exec(header.extra.phone ?? '')?.[1];
      chatId = phone ?? `7701${String(Math.floor(Math.random() * 1e7)).padStart(7, '0')}`;
      harness = await startWhatsAppHarness({
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
          error: `whatsapp target: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
        };
      }
    },
    async close() {
      await harness?.close();
      harness = undefined;
    },
    templates: () => templates,
  };
}
