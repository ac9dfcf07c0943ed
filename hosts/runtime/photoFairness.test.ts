import { afterEach, describe, expect, it } from 'vitest';
import { createMemoryHost } from '../../engine/testing/memoryHost.ts';
import { eventually } from '../../storage/state/contract/harness.ts';
import type { StateBackend } from '../../storage/state/index.ts';
import { loadFixtures } from '../cli/fixtures.ts';
import { worldPorts } from '../whatsapp/testing/worldPorts.ts';
import type { ConversationAddress } from './address.ts';
import type { Logger, OcrPort } from './ports.ts';
import { ConversationRuntime } from './runtime.ts';
import { eachStateBackend } from '../../storage/state/testing.ts';

/**
 * Fair OCR between shoppers. A conversation runs one turn at a time, so a shopper has at most one
 * photo at the OCR port however many they send; the OCR pool serves waiting reads first come,
 * first served (TesseractOcr), so a shopper's photo waits behind at most one photo of a shopper
 * sending photos in a loop — round robin per shopper. Shown here with an OCR port that holds every
 * read until the test lets it go, on the embedded and the Redis state backends.
 */

const quiet: Logger = { info() {}, warn() {}, error() {} };
const AT = '2026-11-26T10:00:00.000Z';

const backends = eachStateBackend('ocr-fair');

/** an OCR port whose reads wait, in arrival order, until released */
function heldOcr() {
  const arrivals: string[] = [];
  const held: (() => void)[] = [];
  const reading = new Map<string, number>();
  let mostAtOnceForOneShopper = 0;
  const ocr: OcrPort = {
    async read(image) {
      const shopper = image.filename.split('-')[0]!;
      arrivals.push(image.filename);
      reading.set(shopper, (reading.get(shopper) ?? 0) + 1);
      mostAtOnceForOneShopper = Math.max(mostAtOnceForOneShopper, reading.get(shopper)!);
      await new Promise<void>((release) => held.push(release));
      reading.set(shopper, reading.get(shopper)! - 1);
      return '';
    },
  };
  return {
    ocr,
    arrivals,
    held: () => held.length,
    releaseOldest: () => held.shift()?.(),
    mostAtOnceForOneShopper: () => mostAtOnceForOneShopper,
  };
}

describe.each(backends)('photos of two shoppers on %s state', (_name, open) => {
  let state: StateBackend | undefined;
  let runtime: ConversationRuntime | undefined;
  afterEach(async () => {
    await runtime?.close();
    await state?.close();
  });

  it('one shopper’s ten queued photos delay another shopper’s photo by one read at most', async () => {
    const fixtures = await loadFixtures();
    const host = createMemoryHost({ catalog: fixtures.catalog, images: fixtures.images, voices: fixtures.voices });
    const reader = heldOcr();
    state = await open();
    runtime = new ConversationRuntime(
      {
        scenarios: { forConversation: () => fixtures.scenario },
        ...worldPorts({ host, now: () => AT }),
        ocr: reader.ocr,
        vision: null,
        records: { write: async () => {} },
        channels: {
          web: {
            send: async () => {},
            fetchMedia: async (_address, ref) => ({
              bytes: new Uint8Array([0xff, 0xd8, 0xff]),
              mime: 'image/jpeg',
              filename: ref,
            }),
          },
        },
        clock: () => new Date(AT),
        log: quiet,
      },
      state,
    );
    const address = (chatId: string): ConversationAddress => ({ channel: 'web', city: 'almaty', chatId });
    const photo = (ref: string) => ({ type: 'image' as const, ref, at: AT });

    for (let i = 1; i <= 10; i++)
      expect(await runtime.accept(address('looper'), `a${i}`, photo(`a-${i}`))).toBe('accepted');
    await eventually('the first photo at the OCR', () => reader.arrivals.length === 1);
    expect(await runtime.accept(address('single'), 'b1', photo('b-1'))).toBe('accepted');
    await eventually('the second shopper’s photo at the OCR', () => reader.arrivals.length === 2);

    while (reader.arrivals.length < 11 || reader.held() > 0) {
      await eventually('a read to release', () => reader.held() > 0);
      reader.releaseOldest();
    }
    await runtime.idle();
    expect(reader.arrivals).toEqual(['a-1', 'b-1', ...Array.from({ length: 9 }, (_, i) => `a-${i + 2}`)]);
    expect(reader.mostAtOnceForOneShopper()).toBe(1);
  });
});
