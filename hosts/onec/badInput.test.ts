import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bytesOf, catalogXml, offersXml } from './testing/generate.ts';
import { filesOf, OneC } from './testing/oneC.ts';
import { EXCHANGE_PASSWORD, EXCHANGE_USER, startExchange, type ExchangeServer } from './testing/server.ts';
import { zipOf } from './testing/zip.ts';

/**
 * What a 1C — or someone pretending to be one — can send wrong, over real HTTP on both backends:
 * each answer is a clear `failure` line (or 401), and the catalog is either unchanged or
 * consistently updated, never half-written.
 */
const FIXTURES = new URL('./fixtures/', import.meta.url).pathname;
const text = (s: string) => Buffer.from(s, 'utf8');
const doc = (body: string, version = '2.07') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация ВерсияСхемы="${version}">${body}</КоммерческаяИнформация>\n`;

describe.each(['pglite', 'postgres'] as const)('bad input to the 1C exchange on %s', (kind) => {
  let server: ExchangeServer;
  const client = () => new OneC(server.base, 'almaty', { user: EXCHANGE_USER, password: EXCHANGE_PASSWORD });
  const products = () =>
    server.database.db
      .selectFrom('products')
      .select(['sku', 'name', 'price', 'is_available', 'external_id'])
      .where('city_id', '=', server.cityId)
      .orderBy('sku')
      .execute();
  /** a session of its own: each case starts where a real exchange starts */
  const session = async () => {
    const c = client();
    expect((await c.checkauth()).lines[0]).toBe('success');
    await c.init();
    return c;
  };
  const finished = async (c: OneC) => {
    await c.call('complete');
  };

  beforeAll(async () => {
    server = await startExchange(kind, { stepItems: 10, env: { ONEC_FILE_LIMIT_MB: '1', ONEC_SESSION_MAX_MB: '16' } });
  }, 120_000);
  afterAll(async () => {
    await server?.close();
  });

  it('refuses wrong credentials before reading the body, and answers other types plainly', async () => {
    const stranger = new OneC(server.base, 'almaty', { user: EXCHANGE_USER, password: 'wrong' });
    const refused = await stranger.call(
      'file',
      { filename: 'import.xml' },
      { basic: true, body: text('x'.repeat(1000)) },
    );
    expect(refused.status).toBe(401);
    const c = await session();
    expect((await c.call('query', {}, { type: 'sale' })).lines).toEqual([
      'failure',
      'this session was opened for type=catalog; open one with type=sale',
    ]);
    expect((await c.call('init', {}, { type: 'rests' })).lines).toEqual([
      'failure',
      'type=rests is not served (type=catalog and type=sale are)',
    ]);
    expect(
      (await new OneC(server.base, 'nowhere', { user: EXCHANGE_USER, password: EXCHANGE_PASSWORD }).checkauth()).status,
    ).toBe(404);
    await finished(c);
  });

  it('refuses file names that climb out of the exchange, in filename= and inside a zip', async () => {
    const c = await session();
    for (const name of ['../etc/passwd', 'import_files/../../x.xml', 'C:\\Windows\\x.xml']) {
      const [reply] = await c.upload(name, text('<x/>'));
      expect(reply!.lines[0]).toBe('failure');
    }
    await c.upload('evil.zip', zipOf([{ name: '../../outside.xml', data: text(doc('')) }]));
    const { reply } = await c.import('import.xml');
    expect(reply.lines[0]).toBe('failure');
    expect(reply.lines[1]).toMatch(/evil\.zip/);
    await finished(c);
  });

  it('refuses a part over file_limit, declared or streamed, and keeps nothing of it', async () => {
    const c = await session();
    expect(c.fileLimit).toBe(1024 * 1024);
    const declared = await c.call('file', { filename: 'big.xml' }, { body: Buffer.alloc(c.fileLimit + 1, 0x20) });
    expect(declared.lines).toEqual(['failure', `the part is larger than file_limit (${c.fileLimit} bytes)`]);
    // a chunked body states no length: it is counted as it comes and cut off at the limit
    const res = await fetch(`${server.base}/1c/exchange/almaty?type=catalog&mode=file&filename=big.xml`, {
      method: 'POST',
      headers: { cookie: c.cookie! },
      body: Readable.toWeb(Readable.from([Buffer.alloc(c.fileLimit, 0x20), Buffer.alloc(10, 0x20)])),
      duplex: 'half',
    } as RequestInit);
    expect((await res.text()).split('\n')[0]).toBe('failure');
    const stored = await server.database.db
      .selectFrom('onec_file_chunks')
      .select('start')
      .where('name', '=', 'big.xml')
      .execute();
    expect(stored).toEqual([]);
    await finished(c);
  });

  it('stops a zip bomb', async () => {
    const c = await session();
    await c.upload('bomb.zip', zipOf([{ name: 'import.xml', data: Buffer.alloc(40 * 1024 * 1024, 0x20) }]));
    const { reply } = await c.import('import.xml');
    expect(reply.lines[0]).toBe('failure');
    expect(reply.lines[1]).toMatch(/zip bomb|larger|exceed/);
    await finished(c);
  });

  it('refuses DOCTYPEs (external entities, billion laughs), unknown schema versions and mislabelled encodings', async () => {
    const cases: [string, Buffer, RegExp][] = [
      [
        'xxe.xml',
        text(
          `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><КоммерческаяИнформация ВерсияСхемы="2.07">&e;</КоммерческаяИнформация>`,
        ),
        /DOCTYPE/,
      ],
      [
        'laughs.xml',
        text(
          `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]><КоммерческаяИнформация ВерсияСхемы="2.07">&lol2;</КоммерческаяИнформация>`,
        ),
        /DOCTYPE/,
      ],
      ['future.xml', text(doc('', '3.1')), /schema version 3\.1 is not supported/],
      [
        'unversioned.xml',
        text('<?xml version="1.0"?><КоммерческаяИнформация></КоммерческаяИнформация>'),
        /ВерсияСхемы/,
      ],
      ['html.xml', text('<html><body>502 Bad Gateway</body></html>'), /not a CommerceML file/],
      [
        'cp1251.xml',
        iconv.encode(doc('<Каталог><Наименование>Диваны</Наименование></Каталог>'), 'win1251'),
        /not valid UTF-8/,
      ],
      ['koi8.xml', text('<?xml version="1.0" encoding="koi8-r"?><a/>'), /encoding koi8-r is not supported/],
    ];
    const c = await session();
    for (const [name, bytes, reason] of cases) {
      await c.upload(name, bytes);
      const { reply } = await c.import(name);
      expect(reply.lines[0]).toBe('failure');
      expect(reply.lines[1]).toMatch(reason);
    }
    await finished(c);
    expect(await products()).toEqual([]);
  });

  it('fails a file that breaks off after several progress steps, and changes nothing', async () => {
    const before = await products();
    const c = await session();
    const whole = [...catalogXml({ goods: 60 })].join('');
    await c.upload('import.xml', text(whole.slice(0, whole.lastIndexOf('<Товар>') + 40)));
    const { reply, progress } = await c.import('import.xml');
    expect(progress.length).toBeGreaterThanOrEqual(4); // 10 elements per request
    expect(reply.lines[0]).toBe('failure');
    expect(reply.lines[1]).toMatch(/malformed/);
    expect(await products()).toEqual(before);
    await finished(c);
  });

  it('applies nothing of a 2.10 package one of whose files is broken', async () => {
    const before = await products();
    const c = await session();
    for (const file of filesOf(`${FIXTURES}v2.10`)) {
      const bytes = file.name.includes('rests___') ? file.bytes.subarray(0, file.bytes.byteLength - 200) : file.bytes;
      await c.upload(file.name, bytes);
    }
    const names = filesOf(`${FIXTURES}v2.10`)
      .map((f) => f.name)
      .filter((n) => n.endsWith('.xml'));
    const answers = [];
    for (const name of names) answers.push((await c.import(name)).reply.lines[0]);
    expect(answers).toEqual(['success', 'success', 'success', 'failure', 'success']);
    const done = await c.untilDone('complete');
    expect(done.reply.lines[0]).toBe('failure');
    expect(done.reply.lines[1]).toMatch(/rests___.*nothing of this exchange was applied/);
    expect(await products()).toEqual(before);
  });

  it('refuses a price type the package does not have, naming those it has', async () => {
    const strict = await startExchange(kind, { database: server.database, env: { ONEC_PRICE_TYPE: 'Дилерская' } });
    try {
      const c = new OneC(strict.base, 'almaty', { user: EXCHANGE_USER, password: EXCHANGE_PASSWORD });
      await c.checkauth();
      await c.init();
      await c.upload('import.xml', Buffer.concat([...bytesOf(catalogXml({ goods: 3 }))]));
      await c.upload('offers.xml', Buffer.concat([...bytesOf(offersXml({ goods: 3 }))]));
      expect((await c.import('import.xml')).reply.lines).toEqual(['success']);
      const before = await products();
      const { reply } = await c.import('offers.xml');
      expect(reply.lines).toEqual([
        'failure',
        'the price type «Дилерская» is not in the package; it declares «Оптовая», «Розничная»',
      ]);
      expect(await products()).toEqual(before);
      await c.call('complete');
    } finally {
      await strict.close();
    }
  });

  it('reports what it could not take as written: clashing codes, unknown properties, a synonym already taken', async () => {
    // a database of its own: the taxonomy as the seed left it
    const fresh = await startExchange(kind);
    const c = new OneC(fresh.base, 'almaty', { user: EXCHANGE_USER, password: EXCHANGE_PASSWORD });
    await c.checkauth();
    await c.init();
    const xml = doc(`<Классификатор><Ид>c</Ид><Свойства>
      <Свойство><Ид>p-color</Ид><Наименование>Цвет</Наименование><ТипЗначений>Справочник</ТипЗначений><ВариантыЗначений>
        <Справочник><ИдЗначения>v-grey</ИдЗначения><Значение>Серый</Значение></Справочник>
        <Справочник><ИдЗначения>v-graphite</ИдЗначения><Значение>Графитовый</Значение></Справочник></ВариантыЗначений></Свойство>
      </Свойства></Классификатор>
      <Каталог СодержитТолькоИзменения="true"><Товары>
        <Товар><Ид>clash-1</Ид><Артикул>СТ-9/А</Артикул><Наименование>Стол «Один»</Наименование>
          <ЗначенияСвойств><ЗначенияСвойства><Ид>p-color</Ид><Значение>v-grey</Значение></ЗначенияСвойства></ЗначенияСвойств></Товар>
        <Товар><Ид>clash-2</Ид><Артикул>CT 9 A</Артикул><Наименование>Стол «Два»</Наименование>
          <ЗначенияСвойств><ЗначенияСвойства><Ид>p-color</Ид><Значение>v-graphite</Значение></ЗначенияСвойства>
          <ЗначенияСвойства><Ид>p-unknown</Ид><Значение>42</Значение></ЗначенияСвойства></ЗначенияСвойств></Товар>
      </Товары></Каталог>`);
    await c.upload('import.xml', text(xml));
    expect((await c.import('import.xml')).reply.lines).toEqual(['success']);
    const rows = await fresh.database.db
      .selectFrom('products')
      .select(['external_id', 'sku', 'color'])
      .where('external_id', 'in', ['clash-1', 'clash-2'])
      .orderBy('external_id')
      .execute();
    // «CT 9 A» (Latin) reads the same as «СТ-9/А» (Cyrillic): the second good is known by its Ид
    expect(rows).toEqual([
      { external_id: 'clash-1', sku: 'СТ-9/А', color: 'grey' },
      { external_id: 'clash-2', sku: 'CLASH-2', color: 'grafitovyy' },
    ]);
    const latest = await fresh.database.db
      .selectFrom('onec_sessions')
      .select('report')
      .orderBy('created_at', 'desc')
      .executeTakeFirstOrThrow();
    const warnings = (latest.report['import.xml'] as { warnings: string[] }).warnings;
    expect(warnings).toEqual([
      'the property p-unknown is not described in a Классификатор; its values are skipped',
      'the code CT 9 A of «Стол «Два»» reads the same as СТ-9/А of another good; it is known by its Ид clash-2',
    ]);
    await finished(c);
    await fresh.close();
  });

  it('refuses a second exchange while one runs, and lets a new one take over a quiet one', async () => {
    const first = await session();
    await first.upload('import.xml', Buffer.concat([...bytesOf(catalogXml({ goods: 2, from: 500 }))]));
    const second = client();
    const refused = await second.checkauth();
    expect(refused.lines[0]).toBe('failure');
    expect(refused.lines[1]).toMatch(/another exchange for this city is running/);
    server.clock.now = new Date(server.clock.now.getTime() + 4 * 60_000);
    expect((await second.checkauth()).lines[0]).toBe('success');
    const late = await first.call('import', { filename: 'import.xml' });
    expect(late.lines[0]).toBe('failure');
    expect(late.lines[1]).toMatch(/has ended \(abandoned: .*1 file\(s\) never applied/);
    expect(
      await server.database.db.selectFrom('products').select('id').where('external_id', 'like', '100001f4%').execute(),
    ).toEqual([]);
    await finished(second);
  });
});

describe('an exchange nobody configured', () => {
  it('says how to configure it', async () => {
    const server = await startExchange('pglite', { env: { ONEC_EXCHANGE_USER: '', ONEC_EXCHANGE_PASSWORD: '' } });
    try {
      const reply = await new OneC(server.base, 'almaty', { user: 'a', password: 'b' }).checkauth();
      expect(reply.status).toBe(503);
      expect(reply.lines[1]).toMatch(/ONEC_EXCHANGE_USER/);
    } finally {
      await server.close();
    }
  });
});
