import * as v from 'valibot';
import type { SearchCriteria } from '../catalog.ts';
import type { ImageDescription } from '../events.ts';
import type { ActionTable } from '../machine/actions.ts';
import type { Kit, Outcome } from '../machine/kit.ts';
import { engine, type Ctx, type Ev } from '../machine/setup.ts';
import { DESCRIBING, IDLE, IMAGE_LOOKING_UP as LOOKING_UP, SEARCHING } from '../machine/stateIds.ts';
import { startDetails, startSearch } from './search.ts';
import { skuFromText } from './skuFromText.ts';
import { SlugSchema } from '../taxonomy.ts';

/**
 * Image lookup: photo → OCR → SKU → catalog; no SKU or no such product → vision description →
 * similar-product search (results come back to search.searching); nothing → apology + manager.
 *
 *   image.reading ── readImage.done ──▶ image.lookingUp (SKU found) | image.describing
 *   image.lookingUp ── lookupSku.done ──▶ idle (card) | image.describing
 *   image.describing ── describeImage.done ──▶ search.searching | idle (no match)
 */

const slug = (word: string | undefined) =>
  (word ?? '')
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
const isSlug = (word: string): boolean => v.is(SlugSchema, word);

/** only taxonomy slugs (the vision port answers from the taxonomy's list) become criteria; other words go into the query */
export function criteriaFromDescription(d: ImageDescription): SearchCriteria {
  const c: SearchCriteria = {};
  const words: string[] = [];
  const category = slug(d.category);
  const color = slug(d.color);
  const material = slug(d.material);
  if (isSlug(category)) c.category = category;
  else if (d.category?.trim()) words.push(d.category.trim());
  if (isSlug(color)) c.color = color;
  else if (d.color?.trim()) words.push(d.color.trim());
  if (isSlug(material)) c.material = material;
  else if (d.material?.trim()) words.push(d.material.trim());
  if (words.length > 0) c.query = words.join(' ').slice(0, 200);
  return c;
}

function startImage(ctx: Ctx, ev: Ev<'image'>): Outcome {
  const pending: NonNullable<Ctx['pending']> = { ref: ev.ref };
  if (ev.caption) pending.caption = ev.caption.slice(0, 160);
  return { context: { pending }, effects: [{ type: 'readImage', ref: ev.ref }] };
}

const describe = (ctx: Ctx): Outcome =>
  ctx.pending?.ref
    ? { context: { pending: { ref: ctx.pending.ref } }, effects: [{ type: 'describeImage', ref: ctx.pending.ref }] }
    : {};

const noMatch = (k: Kit, ctx: Ctx): Outcome => ({
  context: { pending: null },
  effects: [
    k.ask(ctx, k.text(ctx, 'imageNoMatch'), [k.button(ctx, 'm', 'btnManager'), k.button(ctx, 'menu', 'btnMenu')]),
    { type: 'track', name: 'image_no_match' },
  ],
});

export const ocrSku = (ctx: Ctx, text: string) => skuFromText(`${text}\n${ctx.pending?.caption ?? ''}`);
export const usableDescription = (d: ImageDescription | null) =>
  d !== null && Object.keys(criteriaFromDescription(d)).length > 0;

export const imageActions = {
  startImage: (_k, c, ev: Ev<'image'>) => startImage(c, ev),
  /** the photo shows a product code: look it up, keeping the photo in case the catalog has no such code */
  lookUpReadSku: (_k, c, ev: Ev<'readImage.done'>) => {
    const sku = ocrSku(c, ev.text) ?? '';
    const out = startDetails(c, sku);
    return { ...out, context: { pending: { ...c.pending, sku } } };
  },
  describeImage: (_k, c) => describe(c),
  searchLikeImage: (k, c, ev: Ev<'describeImage.done'>) =>
    startSearch(k, c, criteriaFromDescription(ev.description ?? {}), 1, 'image'),
  imageNoMatch: (k, c) => noMatch(k, c),
  photoTooLarge: (k, c) => ({ context: { pending: null }, effects: [k.say(c, 'photoTooLarge')] }),
} satisfies ActionTable;

export function imageStates() {
  return engine.createStateConfig({
    initial: 'reading',
    states: {
      reading: {
        on: {
          'readImage.done': [
            { guard: 'skuRead', target: LOOKING_UP, actions: 'lookUpReadSku' },
            { guard: 'hasImage', target: DESCRIBING, actions: 'describeImage' },
            { target: IDLE, actions: 'imageNoMatch' },
          ],
          'effect.failed': [
            // the photo cannot be downloaded at all: say so rather than describe what we never saw
            {
              guard: { type: 'effectFailed', params: { effect: 'readImage', code: 'media_too_large' } },
              target: IDLE,
              actions: 'photoTooLarge',
            },
            // OCR is down: the description may still find it
            {
              guard: { type: 'effectFailed', params: { effect: 'readImage' } },
              target: DESCRIBING,
              actions: 'describeImage',
            },
          ],
        },
      },
      lookingUp: {
        on: {
          'lookupSku.done': [
            { guard: 'productFound', target: IDLE, actions: 'showProduct' },
            { target: DESCRIBING, actions: 'describeImage' },
          ],
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'lookupSku' } },
            target: DESCRIBING,
            actions: 'describeImage',
          },
        },
      },
      describing: {
        on: {
          'describeImage.done': [
            { guard: 'usableDescription', target: SEARCHING, actions: 'searchLikeImage' },
            { target: IDLE, actions: 'imageNoMatch' },
          ],
          'effect.failed': {
            guard: { type: 'effectFailed', params: { effect: 'describeImage' } },
            target: IDLE,
            actions: 'imageNoMatch',
          },
        },
      },
    },
  });
}
