import { describe, expect, it } from 'vitest';
import { NumberDirectory, type WhatsAppNumber, type WhatsAppNumberSource } from './numbers.ts';

/** a source whose reads are answered by hand, in order, with what is saved at that moment */
function heldSource() {
  let saved: WhatsAppNumber[] = [{ city: 'almaty', phoneNumberId: 'PN-1', templateLang: 'ru' }];
  const reads: { answer: () => void }[] = [];
  const source: WhatsAppNumberSource = {
    list: () =>
      new Promise((resolve) => {
        const snapshot = saved;
        reads.push({ answer: () => resolve(snapshot) });
      }),
  };
  return { source, reads, save: (next: WhatsAppNumber[]) => void (saved = next) };
}

const settle = () => new Promise((resolve) => setImmediate(resolve));

describe('NumberDirectory', () => {
  it('a lookup after invalidate() never gets a list read before it, even by joining a load already under way', async () => {
    const held = heldSource();
    const numbers = new NumberDirectory(held.source);
    const early = numbers.byCity('almaty');
    await settle();
    expect(held.reads).toHaveLength(1);

    // a bot config is saved while that read is out; the reload message invalidates
    held.save([
      { city: 'almaty', phoneNumberId: 'PN-1', templateLang: 'kk', templateParams: ['productName', 'price'] },
    ]);
    numbers.invalidate();
    const late = numbers.byCity('almaty');
    held.reads[0]!.answer();
    await settle();
    // the stale read is not kept: the directory reads again
    expect(held.reads).toHaveLength(2);
    held.reads[1]!.answer();
    expect((await late)?.templateLang).toBe('kk');
    expect((await early)?.templateLang).toBe('kk');
    expect((await numbers.byPhoneId('PN-1'))?.templateParams).toEqual(['productName', 'price']);
    expect(held.reads).toHaveLength(2);
  });
});
