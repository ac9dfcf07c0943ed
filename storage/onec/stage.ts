import { sql, type Selectable } from 'kysely';
import type { OnecFilesTable } from '../db/types.ts';
import { inTransaction, json, type Db } from '../repos/common.ts';
import { readFile } from './files.ts';
import { resolveBeside } from './names.ts';
import { ingestPicture } from './pictures.ts';
import { decodeXml } from './xml/decode.ts';
import type { GoodItem, StagedItem } from './xml/items.ts';
import { readCommerceMl, type ReadEvent } from './xml/reader.ts';

/**
 * Reads one uploaded XML file into `onec_staged`, a slice per call: each `mode=import` request
 * reads for at most its time (and item) budget, commits what it read together with the cursor
 * (`onec_files.items`), and answers `progress` until the file is read to its end. The parser of a
 * file being read is kept in this process between calls; a call that lands on another replica
 * (or after a restart) reads the file again from its start, skipping what is staged already.
 * Nothing here touches the catalog.
 */
export type OnecFile = Selectable<OnecFilesTable>;
export type StepBudget = { deadline: number; maxItems: number };
export type ReadOutcome = { done: boolean; items: number; schemaVersion?: string };

/** items per committed step: each costs a transaction and four round trips, whatever its size */
const BATCH = 2000;
const MAX_WARNINGS = 50;
/** staged good: pictures already stored, by address; null keeps the product's current pictures */
export type StagedGood = Omit<GoodItem, 'kind' | 'pictures'> & { images: string[] | null };

type Reader = { events: AsyncGenerator<ReadEvent>; consumed: number; timer?: NodeJS.Timeout };
const readers = new Map<string, Reader>();
const READER_IDLE_MS = 10 * 60_000;

function readerFor(db: Db, file: OnecFile): Reader & { fresh: boolean } {
  const key = `${file.session_id}:${file.name}`;
  const known = readers.get(key);
  if (known && known.consumed === file.items) {
    clearTimeout(known.timer);
    return { ...known, fresh: false };
  }
  if (known) void known.events.return(undefined);
  const events = readCommerceMl(decodeXml(readFile(db, file.session_id, file.name)));
  return { events, consumed: 0, fresh: true };
}

function keep(file: OnecFile, reader: Reader): void {
  const key = `${file.session_id}:${file.name}`;
  reader.timer = setTimeout(() => {
    readers.delete(key);
    void reader.events.return(undefined);
  }, READER_IDLE_MS);
  reader.timer.unref();
  readers.set(key, reader);
}

export function forgetReader(sessionId: string, name: string): void {
  const key = `${sessionId}:${name}`;
  const known = readers.get(key);
  if (!known) return;
  clearTimeout(known.timer);
  void known.events.return(undefined);
  readers.delete(key);
}

export async function readStep(db: Db, file: OnecFile, budget: StepBudget): Promise<ReadOutcome> {
  const reader = readerFor(db, file);
  let consumed = reader.fresh ? 0 : reader.consumed;
  const start = file.items;
  const meta: { schemaVersion?: string; goodsFull?: boolean } = {};
  const warnings: string[] = [];
  let batch: StagedItem[] = [];
  let done = false;

  // a batch is written while the parser reads the next one; at most one write is in flight, and
  // each commits its items with the cursor that covers them, so the cursor never runs ahead
  let writing: Promise<void> | undefined;
  const write = async (items: StagedItem[], cursor: number, found: typeof meta, notes: string[]) => {
    const rows = await stagedRows(db, file, items, notes);
    await inTransaction(db, async (tx) => {
      // one JSON parameter for the whole batch: a VALUES list of thousands of parameters costs more
      // to send, parse and plan than the rows cost to write
      if (rows !== undefined)
        await sql`INSERT INTO onec_staged (session_id, file_name, kind, ext_id, data)
          SELECT ${file.session_id}::uuid, ${file.name}, e->>0, e->>1, e->2 FROM json_array_elements(${rows}::json) AS e`.execute(
          tx,
        );
      await tx
        .updateTable('onec_files')
        .set({
          items: cursor,
          state: 'reading' as const,
          ...(found.schemaVersion ? { schema_version: found.schemaVersion } : {}),
          ...(found.goodsFull !== undefined ? { goods_full: found.goodsFull } : {}),
          ...(notes.length > 0
            ? {
                warnings: sql<string>`(SELECT coalesce(jsonb_agg(e), '[]'::jsonb) FROM (SELECT e FROM
                  jsonb_array_elements(onec_files.warnings || ${json(notes)}::jsonb) AS t(e)
                  LIMIT ${MAX_WARNINGS}) kept)`,
              }
            : {}),
        })
        .where('session_id', '=', file.session_id)
        .where('name', '=', file.name)
        .execute();
    });
  };
  const flush = async () => {
    if (writing) await writing;
    writing = write(batch, consumed, { ...meta }, warnings.splice(0));
    writing.catch(() => undefined); // awaited at the next flush or the end of the step
    batch = [];
  };

  try {
    for (;;) {
      if (consumed >= start && (Date.now() >= budget.deadline || consumed - start >= budget.maxItems)) break;
      const next = await reader.events.next();
      if (next.done) {
        done = true;
        break;
      }
      consumed++;
      if (consumed <= start) continue;
      const event = next.value;
      if (event.kind === 'root') meta.schemaVersion = event.schemaVersion;
      else if (event.kind === 'catalog') {
        if (event.onlyChanges !== undefined) meta.goodsFull = !event.onlyChanges;
      } else if (event.kind === 'package') continue;
      else if (event.kind === 'warning') warnings.push(event.message);
      else batch.push(event);
      if (batch.length >= BATCH) await flush();
    }
    await flush();
    await writing;
  } catch (error) {
    // the parser is past what was committed: the next step reads the file again from the cursor
    forgetReader(file.session_id, file.name);
    void reader.events.return(undefined);
    throw error;
  }
  if (done) forgetReader(file.session_id, file.name);
  else keep(file, { events: reader.events, consumed });
  return { done, items: consumed, ...(meta.schemaVersion ? { schemaVersion: meta.schemaVersion } : {}) };
}

/** the batch as one JSON array of `[kind, ext_id, data]` */
async function stagedRows(
  db: Db,
  file: OnecFile,
  items: StagedItem[],
  warnings: string[],
): Promise<string | undefined> {
  if (items.length === 0) return undefined;
  const pictures: Pictures = { byPath: new Map() };
  const rows = [];
  for (const item of items) {
    const { kind, ...rest } = item;
    let data: unknown = rest;
    if (item.kind === 'good') {
      const { pictures: paths, kind: _k, ...good } = item;
      data = { ...good, images: await picturesOf(db, file, paths, pictures, warnings) } satisfies StagedGood;
    }
    rows.push([kind, item.id, data]);
  }
  return json(rows);
}

/** pictures met in one batch, and the session's file names (read once, only when a good names a picture) */
type Pictures = { byPath: Map<string, string | undefined>; files?: Set<string> };

async function picturesOf(
  db: Db,
  file: OnecFile,
  paths: string[],
  cache: Pictures,
  warnings: string[],
): Promise<string[] | null> {
  if (paths.length === 0) return [];
  cache.files ??= new Set(
    (await db.selectFrom('onec_files').select('name').where('session_id', '=', file.session_id).execute()).map(
      (f) => f.name,
    ),
  );
  const urls: string[] = [];
  for (const path of paths) {
    if (!cache.byPath.has(path)) cache.byPath.set(path, await pictureUrlFor(db, file, path, cache.files, warnings));
    const url = cache.byPath.get(path);
    if (url) urls.push(url);
  }
  // none of them came with this exchange (a changes-only package need not resend them): keep what is there
  return urls.length > 0 ? urls : null;
}

async function pictureUrlFor(
  db: Db,
  file: OnecFile,
  path: string,
  files: Set<string>,
  warnings: string[],
): Promise<string | undefined> {
  for (const candidate of [resolveBeside(file.name, path), resolveBeside('', path)]) {
    if (!candidate || !files.has(candidate)) continue;
    const stored = await ingestPicture(db, file.session_id, candidate);
    if (stored.ok) return stored.url;
    if (warnings.length < MAX_WARNINGS) warnings.push(stored.reason);
    return undefined;
  }
  return undefined;
}
