import { describe, expect, it } from 'vitest';
import { readBodyLimited } from './body.ts';

const streamed = (parts: string[]) =>
  new Request('http://x/', {
    method: 'POST',
    body: new ReadableStream({
      start(controller) {
        for (const p of parts) controller.enqueue(new TextEncoder().encode(p));
        controller.close();
      },
    }),
    // @ts-expect-error Node's fetch needs this for a streamed body
    duplex: 'half',
  });

describe('readBodyLimited', () => {
  it('returns the exact bytes of a body within the limit', async () => {
    const bytes = await readBodyLimited(streamed(['{"a":', '1}']), 100);
    expect(new TextDecoder().decode(bytes as Uint8Array)).toBe('{"a":1}');
  });
  it('refuses a declared length over the limit without reading', async () => {
    const request = new Request('http://x/', {
      method: 'POST',
      body: 'x'.repeat(10),
      headers: { 'content-length': '1000' },
    });
    expect(await readBodyLimited(request, 100)).toBe('too-large');
  });
  it('stops reading a streamed body that grows past the limit', async () => {
    expect(await readBodyLimited(streamed(['x'.repeat(60), 'y'.repeat(60)]), 100)).toBe('too-large');
  });
  it('reads an empty body as no bytes', async () => {
    expect(await readBodyLimited(new Request('http://x/', { method: 'POST' }), 10)).toEqual(new Uint8Array(0));
  });
});
