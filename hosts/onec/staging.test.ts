import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCity } from '../../storage/repos/cities.ts';
import { appendToFile, readFile } from '../../storage/onec/files.ts';
import { openSession } from '../../storage/onec/sessions.ts';
import { readStep } from '../../storage/onec/stage.ts';
import { createTestDatabase, type TestDatabase } from '../../storage/testing.ts';
import { bytesOf, catalogXml, goodId } from './testing/generate.ts';

/**
 * What the exchange keeps of an uploaded file and reads from it, on both backends: files are
 * stored deflated and read back byte for byte (chunks stored before 0028 too), and a staging step
 * that fails while the parser is a batch ahead of what was committed loses and repeats nothing.
 */
const GOODS = 5000; // three staging batches: the failure lands while the next one is being read
const LIMITS = { partBytes: 64 * 1024 * 1024, sessionBytes: 256 * 1024 * 1024 };

async function* piecesOf(buffers: Iterable<Buffer>) {
  yield* buffers;
}

async function collect(pieces: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = [];
  for await (const piece of pieces) parts.push(piece);
  return Buffer.concat(parts);
}

describe.each(['pglite', 'postgres'] as const)('an uploaded file on %s', (kind) => {
  let t: TestDatabase;
  let sessionId: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    const city = await createCity(t.db, { name: 'Алматы', slug: 'almaty' });
    const opened = await openSession(t.db, city.id, new Date(), 60_000);
    if (!opened.ok) throw new Error(opened.reason);
    sessionId = opened.session.id;
  });
  afterAll(async () => {
    await t.close();
  });

  const fileRow = (name: string) =>
    t.db
      .selectFrom('onec_files')
      .selectAll()
      .where('session_id', '=', sessionId)
      .where('name', '=', name)
      .executeTakeFirstOrThrow();

  it('is stored deflated, several times smaller, and read back byte for byte from any offset', async () => {
    const xml = Buffer.concat([...bytesOf(catalogXml({ goods: 3000, version: '2.08' }))]);
    const appended = await appendToFile(t.db, sessionId, 'import.xml', piecesOf([xml]), LIMITS);
    expect(appended).toEqual({ ok: true, size: xml.byteLength });
    const chunks = await t.db
      .selectFrom('onec_file_chunks')
      .select([sql<number>`length(bytes)`.as('stored'), 'deflated'])
      .where('session_id', '=', sessionId)
      .where('name', '=', 'import.xml')
      .execute();
    expect(chunks.length).toBeGreaterThan(1);
    expect(chunks.every((c) => c.deflated)).toBe(true);
    expect(chunks.reduce((sum, c) => sum + Number(c.stored), 0)).toBeLessThan(xml.byteLength / 4);
    expect((await collect(readFile(t.db, sessionId, 'import.xml'))).equals(xml)).toBe(true);
    const range = { from: 1_500_000, to: 1_600_000 };
    expect(
      (await collect(readFile(t.db, sessionId, 'import.xml', range))).equals(xml.subarray(1_500_000, 1_600_000)),
    ).toBe(true);
  });

  it('reads a chunk stored before chunks were deflated as it is, beside deflated ones', async () => {
    const head = Buffer.from('<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация ');
    await t.db
      .insertInto('onec_files')
      .values({ session_id: sessionId, name: 'old.xml', size: head.byteLength })
      .execute();
    await t.db
      .insertInto('onec_file_chunks')
      .values({ session_id: sessionId, name: 'old.xml', start: 0, bytes: head, deflated: false })
      .execute();
    const tail = Buffer.from('ВерсияСхемы="2.08"></КоммерческаяИнформация>\n');
    await appendToFile(t.db, sessionId, 'old.xml', piecesOf([tail]), LIMITS);
    expect((await collect(readFile(t.db, sessionId, 'old.xml'))).toString()).toBe(`${head}${tail}`);
  });

  it('stages every good exactly once when a write fails while the next batch is being read', async () => {
    const xml = Buffer.concat([...bytesOf(catalogXml({ goods: GOODS, version: '2.08' }))]);
    await appendToFile(t.db, sessionId, 'goods.xml', piecesOf([xml]), LIMITS);
    // the database refuses the batch that holds good #3000: a full disk, a restart
    await sql
      .raw(`CREATE FUNCTION refuse_good() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
          IF NEW.ext_id = '${goodId(3000)}' THEN RAISE EXCEPTION 'could not extend file: No space left on device'; END IF;
          RETURN NEW;
        END $$`)
      .execute(t.db);
    await sql`CREATE TRIGGER refuse_good BEFORE INSERT ON onec_staged FOR EACH ROW EXECUTE FUNCTION refuse_good()`.execute(
      t.db,
    );
    const deadline = Date.now() + 60_000;
    // a first step reads part of the file; its parser is kept for the next request
    const first = await readStep(t.db, await fileRow('goods.xml'), { deadline, maxItems: 2500 });
    expect(first.done).toBe(false);
    const budget = { deadline, maxItems: 1_000_000 };
    await expect(readStep(t.db, await fileRow('goods.xml'), budget)).rejects.toThrow('No space left on device');
    const committed = await fileRow('goods.xml');
    expect(committed.items).toBe(first.items); // what the failed step read is not counted as read
    await sql`DROP TRIGGER refuse_good ON onec_staged`.execute(t.db);

    const outcome = await readStep(t.db, committed, budget);
    expect(outcome.done).toBe(true);
    const staged = await t.db
      .selectFrom('onec_staged')
      .select([sql<number>`count(*)`.as('rows'), sql<number>`count(DISTINCT ext_id)`.as('goods')])
      .where('session_id', '=', sessionId)
      .where('file_name', '=', 'goods.xml')
      .where('kind', '=', 'good')
      .executeTakeFirstOrThrow();
    expect({ rows: Number(staged.rows), goods: Number(staged.goods) }).toEqual({ rows: GOODS, goods: GOODS });
  });
});
