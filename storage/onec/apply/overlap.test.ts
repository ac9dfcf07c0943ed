import { describe, expect, it } from 'vitest';
import { overlapped } from './overlap.ts';

/** a write that finishes when the test says so, recording what happened meanwhile */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
}

async function* batches(n: number, log: string[]) {
  for (let i = 0; i < n; i++) {
    log.push(`read ${i}`);
    yield i;
  }
}

describe('overlapped', () => {
  it('prepares the next batch while the write before it is in flight, and writes in order, one at a time', async () => {
    const log: string[] = [];
    const gates = [gate(), gate(), gate()];
    let writing = 0;
    const done = overlapped(
      batches(3, log),
      (i) => {
        log.push(`prepare ${i}`);
        return i * 10;
      },
      async (value) => {
        writing++;
        expect(writing).toBe(1);
        log.push(`write ${value} started`);
        await gates[value / 10]!.opened;
        log.push(`write ${value} done`);
        writing--;
      },
    );
    await new Promise((resolve) => setTimeout(resolve, 10));
    // batch 1 is read and prepared before write 0 has finished
    expect(log).toEqual(['read 0', 'prepare 0', 'read 1', 'write 0 started', 'prepare 1']);
    for (const g of gates) g.open();
    await done;
    expect(log.filter((l) => l.startsWith('write'))).toEqual([
      'write 0 started',
      'write 0 done',
      'write 10 started',
      'write 10 done',
      'write 20 started',
      'write 20 done',
    ]);
  });

  it('throws a failed write, and starts no write after it', async () => {
    const written: number[] = [];
    const failing = overlapped(
      batches(5, []),
      (i) => i,
      async (i) => {
        if (i === 1) throw new Error('disk full');
        written.push(i);
      },
    );
    await expect(failing).rejects.toThrow('disk full');
    expect(written).toEqual([0]);
  });

  it('throws a failed preparation only once the write in flight has settled', async () => {
    const log: string[] = [];
    const slow = gate();
    const failing = overlapped(
      batches(3, []),
      (i) => {
        if (i === 1) throw new Error('staged good #2 is not what the reader writes');
        return i;
      },
      async (i) => {
        await slow.opened;
        log.push(`written ${i}`);
      },
    );
    let settled = false;
    void failing.catch(() => (settled = true));
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(settled).toBe(false);
    slow.open();
    await expect(failing).rejects.toThrow('not what the reader writes');
    expect(log).toEqual(['written 0']);
  });

  it('writes nothing for no batches', async () => {
    let writes = 0;
    await overlapped(
      batches(0, []),
      (i) => i,
      async () => {
        writes++;
      },
    );
    expect(writes).toBe(0);
  });
});
