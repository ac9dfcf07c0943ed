import { Readable } from 'node:stream';
import yauzl from 'yauzl';
import type { Db } from '../repos/common.ts';
import { appendToFile, readFile } from './files.ts';
import { exchangePath } from './names.ts';
import type { OnecFile, StepBudget } from './stage.ts';

/**
 * Unpacks a zip 1C sent (`zip=yes`: `import.xml`, `offers.xml` and `import_files/…` in one archive)
 * into files of the same session, entry by entry within the step's budget, read straight from the
 * stored chunks (the archive is never copied whole into memory or onto disk). Entry names go
 * through the same check as `filename=`; unpacked bytes are counted as they come, not taken from
 * the archive's headers, and stop at the session's byte limit, so a zip bomb fails early.
 */
export class ZipError extends Error {
  override readonly name = 'ZipError';
}

/** a compression ratio no real catalog reaches (XML packs 10–30×) */
const MAX_RATIO = 400;

class StoredZipReader extends yauzl.RandomAccessReader {
  constructor(
    private readonly db: Db,
    private readonly sessionId: string,
    private readonly name: string,
  ) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(readFile(this.db, this.sessionId, this.name, { from: start, to: end }), { objectMode: false });
  }
}

export async function unpackStep(
  db: Db,
  archive: OnecFile,
  budget: StepBudget,
  sessionBytes: number,
): Promise<{ done: boolean; entries: number }> {
  const reader = new StoredZipReader(db, archive.session_id, archive.name);
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.fromRandomAccessReaderPromise(reader, Number(archive.size), {
      lazyEntries: true,
      validateEntrySizes: true,
      autoClose: false,
      strictFileNames: false,
    });
  } catch (error) {
    throw new ZipError(`${archive.name} is not a readable zip: ${(error as Error).message}`);
  }
  let index = 0;
  const from = archive.unpacked_entries ?? 0;
  try {
    for await (const entry of eachEntry(zip, archive.name)) {
      if (index++ < from) continue;
      if (Date.now() >= budget.deadline) return { done: false, entries: index - 1 };
      if (!entry.fileName.endsWith('/')) await unpackEntry(db, archive, zip, entry, sessionBytes);
      await db
        .updateTable('onec_files')
        .set({ unpacked_entries: index, state: 'reading' })
        .where('session_id', '=', archive.session_id)
        .where('name', '=', archive.name)
        .execute();
    }
  } finally {
    zip.close();
  }
  await db
    .updateTable('onec_files')
    .set({ state: 'applied' })
    .where('session_id', '=', archive.session_id)
    .where('name', '=', archive.name)
    .execute();
  return { done: true, entries: index };
}

async function* eachEntry(zip: yauzl.ZipFile, name: string): AsyncGenerator<yauzl.Entry> {
  try {
    yield* zip.eachEntry();
  } catch (error) {
    throw new ZipError(`${name}: ${(error as Error).message}`);
  }
}

async function unpackEntry(
  db: Db,
  archive: OnecFile,
  zip: yauzl.ZipFile,
  entry: yauzl.Entry,
  sessionBytes: number,
): Promise<void> {
  const path = exchangePath(entry.fileName);
  if (!path.ok) throw new ZipError(`${archive.name} holds an entry that is refused: ${path.reason}`);
  if (!entry.canDecodeFileData()) throw new ZipError(`${archive.name}: ${entry.fileName} is encrypted or packed oddly`);
  if (entry.uncompressedSize > MAX_RATIO * Math.max(entry.compressedSize, 1 << 16))
    throw new ZipError(
      `${archive.name}: ${entry.fileName} unpacks ${MAX_RATIO}× larger than it is packed (a zip bomb?)`,
    );
  // an entry half unpacked by a call that died is unpacked again from its start
  await db
    .deleteFrom('onec_files')
    .where('session_id', '=', archive.session_id)
    .where('name', '=', path.name)
    .execute();
  let stream: Readable;
  try {
    stream = await zip.openReadStreamPromise(entry);
  } catch (error) {
    throw new ZipError(`${archive.name}: ${entry.fileName}: ${(error as Error).message}`);
  }
  let appended: Awaited<ReturnType<typeof appendToFile>>;
  try {
    appended = await appendToFile(
      db,
      archive.session_id,
      path.name,
      stream,
      { partBytes: sessionBytes, sessionBytes },
      'zip',
    );
  } catch (error) {
    throw new ZipError(`${archive.name}: ${entry.fileName}: ${(error as Error).message}`);
  } finally {
    stream.destroy();
  }
  if (!appended.ok) throw new ZipError(appended.reason);
}
