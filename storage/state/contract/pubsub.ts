import { describe, expect, it } from 'vitest';
import { backendFor, eventually, uniqueKey, type BackendHarness } from './harness.ts';

export function pubSubContract(harness: BackendHarness) {
  describe(`PubSub (${harness.name})`, () => {
    const opened = backendFor(harness);

    it('delivers to every subscriber of the channel and to no other channel', async () => {
      const channel = uniqueKey('config');
      const a: string[] = [];
      const b: string[] = [];
      const elsewhere: string[] = [];
      await opened.state.pubsub.subscribe(channel, (m) => a.push(m));
      await opened.state.pubsub.subscribe(channel, (m) => b.push(m));
      await opened.state.pubsub.subscribe(uniqueKey('other'), (m) => elsewhere.push(m));
      await opened.state.pubsub.publish(channel, 'reload:almaty');
      await opened.state.pubsub.publish(channel, 'reload:astana');
      await eventually('both subscribers', () => a.length === 2 && b.length === 2);
      expect(a).toEqual(['reload:almaty', 'reload:astana']);
      expect(b).toEqual(a);
      expect(elsewhere).toEqual([]);
    });

    it('stops delivering after unsubscribe', async () => {
      const channel = uniqueKey('config');
      const marker = uniqueKey('marker');
      const gone: string[] = [];
      const markers: string[] = [];
      const unsubscribe = await opened.state.pubsub.subscribe(channel, (m) => gone.push(m));
      await opened.state.pubsub.subscribe(marker, (m) => markers.push(m));
      await unsubscribe();
      await opened.state.pubsub.publish(channel, 'late');
      await opened.state.pubsub.publish(marker, 'done');
      await eventually('marker', () => markers.length === 1);
      expect(gone).toEqual([]);
    });

    it('survives a throwing subscriber', async () => {
      const channel = uniqueKey('config');
      const got: string[] = [];
      await opened.state.pubsub.subscribe(channel, () => {
        throw new Error('bad subscriber');
      });
      await opened.state.pubsub.subscribe(channel, (m) => got.push(m));
      await opened.state.pubsub.publish(channel, 'x');
      await eventually('good subscriber', () => got.length === 1);
    });

    if (harness.crossProcess) {
      it('delivers across processes', async () => {
        const other = await opened.env.open();
        try {
          const channel = uniqueKey('config');
          const got: string[] = [];
          await opened.state.pubsub.subscribe(channel, (m) => got.push(m));
          await other.pubsub.publish(channel, 'from-replica');
          await eventually('cross-process message', () => got.length === 1);
          expect(got).toEqual(['from-replica']);
        } finally {
          await other.close();
        }
      });
    }
  });
}
