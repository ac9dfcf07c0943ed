/**
 * Batches written one after the other, each batch's preparation (parsing, reading attributes,
 * building rows: JavaScript) running while the database writes the batch before it. An apply
 * otherwise leaves one core idle: the server waits for PostgreSQL, then PostgreSQL waits for the
 * server. The next batch is asked for before the write is sent, so its read is not queued behind
 * the write on the transaction's one connection. Writes stay in order and never overlap each
 * other; the first failure (of a read, a preparation or a write) is the one thrown, after the
 * write in flight has settled.
 */
export async function overlapped<B, P>(
  batches: AsyncIterable<B>,
  prepare: (batch: B) => Promise<P> | P,
  write: (prepared: P) => Promise<void>,
): Promise<void> {
  const iterator = batches[Symbol.asyncIterator]();
  let writing: Promise<void> | undefined;
  try {
    let next = await iterator.next();
    let prepared = next.done ? undefined : { value: await prepare(next.value) };
    while (prepared) {
      if (writing) await writing;
      const reading = iterator.next();
      writing = write(prepared.value);
      // observed here so a failing write is not reported unhandled while the next batch is prepared
      writing.catch(() => undefined);
      next = await reading;
      prepared = next.done ? undefined : { value: await prepare(next.value) };
    }
    if (writing) await writing;
    writing = undefined;
  } finally {
    if (writing) await writing.catch(() => undefined);
    await iterator.return?.();
  }
}
