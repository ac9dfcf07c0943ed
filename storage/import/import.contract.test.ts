import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestDatabase, TEST_BACKENDS, type TestDatabase } from '../testing.ts';
import { createCity, getProductBySku, listProducts } from '../repos/index.ts';
import { importCatalog, type ImportProgress } from './import.ts';
import { parseCsv } from './csv.ts';
import { readHeader, readNumber } from './attributes.ts';
import { searchProducts } from '../search/index.ts';
import { createAttribute, loadTaxonomy } from '../taxonomy/index.ts';

const HEADER = 'sku,name,description,price,category,color,material,image_url,is_available';

describe('CSV parser (RFC 4180)', () => {
  it('handles quotes, doubled quotes, embedded newlines, CRLF, BOM, semicolons and reports the start line', () => {
    const text = '\uFEFFa,b\r\n"x, y","say ""hi"""\r\n"multi\nline",2\n\nlast,3';
    expect([...parseCsv(text)]).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['x, y', 'say "hi"'] },
      { line: 3, fields: ['multi\nline', '2'] },
      { line: 6, fields: ['last', '3'] },
    ]);
    expect([...parseCsv('a;b\n1;"2;3"')]).toEqual([
      { line: 1, fields: ['a', 'b'] },
      { line: 2, fields: ['1', '2;3'] },
    ]);
    expect([...parseCsv('a,b\n"open,1')][1]).toMatchObject({ line: 2, error: 'unterminated quoted field' });
  });
});

describe('extra column headers', () => {
  it('name the unit they are measured in, however the spreadsheet spells it', () => {
    expect(readHeader('width_cm')).toEqual({ name: 'width', unit: 'cm' });
    expect(readHeader('Ширина, см')).toEqual({ name: 'Ширина', unit: 'см' });
    expect(readHeader('Вес (кг)')).toEqual({ name: 'Вес', unit: 'кг' });
    expect(readHeader('Страна')).toEqual({ name: 'Страна' });
    expect(readHeader('Размер')).toEqual({ name: 'Размер' });
    expect([readNumber('1 200'), readNumber('80,5'), readNumber(7), readNumber('80 см'), readNumber('')]).toEqual([
      1200,
      80.5,
      7,
      undefined,
      undefined,
    ]);
  });
});

describe.each(TEST_BACKENDS)('catalog import on %s', (kind) => {
  let t: TestDatabase;
  let cityId: string;
  let shelves: string;
  beforeAll(async () => {
    t = await createTestDatabase(kind);
    cityId = (await createCity(t.db, { name: 'Алматы', slug: 'almaty' })).id;
    shelves = (await createCity(t.db, { name: 'Шымкент', slug: 'shymkent' })).id;
  });
  afterAll(async () => {
    await t?.close();
  });

  it('imports good rows, reports bad ones with line numbers and reasons', async () => {
    const huge = 'ы'.repeat(10 * 1024 * 1024);
    const csv = [
      HEADER,
      'SOFA-001,"Диван угловой «Милан», велюр",Уютный,249 990,Диван,Серый,Велюр,,да', // 2 ok, words → slugs
      'SOFA-002,Диван «Осло»,,,sofa,grey,velour,,1', // 3 missing price
      'SOFA-003,Диван «Рим»,,-5,sofa,,,,1', // 4 negative
      'SOFA-004,Диван «Вена»,,abc,sofa,,,,1', // 5 not a number
      'SOFA-001,Диван дубль,,100,sofa,,,,1', // 6 duplicate SKU
      `SOFA-005,Диван «Длинный»,${huge},100,sofa,,,,1`, // 7 10 MB description
      'bad sku!,Стул,,100,chair,,,,1', // 8 bad sku
      'CHR-001,"Стул ""Лофт""",,"12000.50",стулья,чёрный,металл,https://cdn.example.kz/c1.jpg,нет', // 9 ok
      'CHR-002,Стул,,100,chair,,,,maybe', // 10 bad availability
      'CHR-003,Стул,,100', // 11 wrong column count
      'TBL-001,Стол «Неизвестный»,,50000,трон,перламутровый,,/img/t.png,', // 12 ok, unknown words kept
    ].join('\n');
    const progress: ImportProgress[] = [];
    const result = await importCatalog(t.db, {
      cityId,
      source: csv,
      format: 'csv',
      batchSize: 2,
      onProgress: (p) => progress.push(p),
    });
    expect(result.imported).toBe(3);
    expect(result.updated).toBe(0);
    expect(result.errors.map((e) => e.line)).toEqual([3, 4, 5, 6, 7, 8, 10, 11]);
    const reason = (line: number) => result.errors.find((e) => e.line === line)!.reason;
    expect(reason(3)).toMatch(/price is required/);
    expect(reason(4)).toMatch(/negative/);
    expect(reason(5)).toMatch(/price must be a number/);
    expect(reason(6)).toMatch(/duplicate SKU SOFA-001 \(first on line 2\)/);
    expect(reason(7)).toMatch(/description is too long/);
    expect(reason(8)).toMatch(/sku may hold only letters, digits, spaces/);
    expect(reason(10)).toMatch(/is_available/);
    expect(reason(11)).toMatch(/expected 9 columns, found 4/);
    expect(progress.at(-1)).toMatchObject({ processed: 11, total: 11, imported: 3 });

    const sofa = await getProductBySku(t.db, cityId, 'SOFA-001');
    expect(sofa).toMatchObject({
      name: 'Диван угловой «Милан», велюр',
      price: 249_990,
      category: 'sofa',
      color: 'grey',
      material: 'velour',
      available: true,
    });
    expect(await getProductBySku(t.db, cityId, 'CHR-001')).toMatchObject({
      name: 'Стул "Лофт"',
      price: 12_000.5,
      category: 'chair',
      color: 'black',
      material: 'metal',
      available: false,
      imageUrl: 'https://cdn.example.kz/c1.jpg',
    });
    // words the taxonomy did not know become terms of their own, reported, and the product is found by them
    expect(await getProductBySku(t.db, cityId, 'TBL-001')).toMatchObject({
      category: 'tron',
      color: 'perlamutrovyy',
      available: true,
    });
    expect(result.created).toEqual([
      { kind: 'category', slug: 'tron', name: 'трон' },
      { kind: 'color', slug: 'perlamutrovyy', name: 'перламутровый' },
    ]);
    expect((await searchProducts(t.db, { cityId, query: 'трон' })).items.map((p) => p.sku)).toEqual(['TBL-001']);
    const again = await importCatalog(t.db, {
      cityId,
      source: `${HEADER}\nTBL-002,Стол второй,,1,Трон,Перламутровый,,,1`,
      format: 'csv',
    });
    expect(again.created).toEqual([]);
    expect(await getProductBySku(t.db, cityId, 'TBL-002')).toMatchObject({ category: 'tron', color: 'perlamutrovyy' });
  });

  it('re-import upserts by (city, sku): updated, not duplicated', async () => {
    const csv = `${HEADER}\nSOFA-001,Диван «Милан» NEW,,199990,sofa,grey,velour,,1\nSOFA-900,Новый,,1000,sofa,,,,1`;
    const result = await importCatalog(t.db, { cityId, source: Buffer.from(csv), format: 'csv' });
    expect(result).toEqual({ imported: 1, updated: 1, errors: [], created: [] });
    expect(await getProductBySku(t.db, cityId, 'SOFA-001')).toMatchObject({
      name: 'Диван «Милан» NEW',
      price: 199_990,
    });
    expect((await listProducts(t.db, { cityId, text: 'SOFA-001' })).total).toBe(1);
  });

  it("leaves nothing in the text indexes' pending lists, which every search would read", async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `PEND-${i + 1},Диван «Пуфик» ${i},Мягкий,1000,sofa,,,,1`);
    const result = await importCatalog(t.db, { cityId, source: [HEADER, ...rows].join('\n'), format: 'csv' });
    expect(result.imported).toBe(50);
    // the number of pending pages merged now: none are left
    const { rows: left } = await sql<{ title: number; description: number }>`
      SELECT gin_clean_pending_list('products_title_tsv_idx'::regclass)::int AS title,
             gin_clean_pending_list('products_desc_tsv_idx'::regclass)::int AS description`.execute(t.db);
    expect(left[0]).toEqual({ title: 0, description: 0 });
  });

  it("retailers' own codes go in as they are and are found however they are typed", async () => {
    const csv = [
      HEADER,
      'СТ-1/А,Стол,,1000,table,,,,1',
      'СТ-2/Б,Стул,,500,chair,,,,1',
      '7701-55,Полка,,300,shelf,,,,1',
      'КГ 17/3,Кровать,,9000,bed,,,,1',
      '000123456,Комод,,7000,dresser,,,,1',
      'УД-0042,Пуф,,2000,pouf,,,,1',
    ].join('\n');
    expect(await importCatalog(t.db, { cityId, source: csv, format: 'csv' })).toEqual({
      imported: 6,
      updated: 0,
      errors: [],
      created: [],
    });
    expect((await getProductBySku(t.db, cityId, 'ст-1/a'))?.name).toBe('Стол'); // Latin a, lower case
    expect((await getProductBySku(t.db, cityId, 'кг17/3'))?.sku).toBe('КГ 17/3');
    expect((await getProductBySku(t.db, cityId, '000123456'))?.name).toBe('Комод');
    // shoppers drop the leading zeros of 1C's codes («артикул 123456»): the one code that fits is found
    expect((await getProductBySku(t.db, cityId, '123456'))?.sku).toBe('000123456');
    expect(await getProductBySku(t.db, cityId, '23456')).toBeUndefined();
    expect((await getProductBySku(t.db, cityId, 'уд.0042'))?.sku).toBe('УД-0042');
    expect(
      await importCatalog(t.db, { cityId, source: `${HEADER}\nСТ-1/А,Стол NEW,,1100,table,,,,1`, format: 'csv' }),
    ).toEqual({ imported: 0, updated: 1, errors: [], created: [] });
  });

  it('two codes that fold to one key are refused, naming both', async () => {
    const inFile = await importCatalog(t.db, {
      cityId,
      source: `${HEADER}\nAB-77,Один,,1,,,,,1\nАВ 77,Два,,1,,,,,1`,
      format: 'csv',
    });
    expect(inFile.imported).toBe(1);
    expect(inFile.errors).toEqual([
      { line: 3, reason: expect.stringMatching(/SKU АВ 77 reads the same as AB-77 on line 2/) },
    ]);
    const againstCatalog = await importCatalog(t.db, {
      cityId,
      source: `${HEADER}\nCT-1-A,Стол-двойник,,1,,,,,1`,
      format: 'csv',
    });
    expect(againstCatalog.imported).toBe(0);
    expect(againstCatalog.errors).toEqual([
      { line: 2, reason: expect.stringMatching(/SKU CT-1-A reads the same as СТ-1\/А already in the catalog/) },
    ]);
    const otherCity = (await createCity(t.db, { name: 'Астана', slug: 'astana' })).id;
    expect(
      await importCatalog(t.db, { cityId: otherCity, source: `${HEADER}\nCT-1-A,Стол,,1,,,,,1`, format: 'csv' }),
    ).toMatchObject({ imported: 1, errors: [], created: [] });
  });

  it('wrong encoding is reported per row; a UTF-8 BOM and semicolons are fine', async () => {
    const good = Buffer.from(`\uFEFF${HEADER.replace(/,/g, ';')}\nBED-001;Кровать;;150000;bed;;;;1\n`, 'utf8');
    expect(await importCatalog(t.db, { cityId, source: good, format: 'csv' })).toMatchObject({
      imported: 1,
      errors: [],
      created: [],
    });
    // «Кровать» in Windows-1251
    const cp1251 = Buffer.concat([
      Buffer.from(`${HEADER}\nBED-002,`),
      Buffer.from([0xca, 0xf0, 0xee, 0xe2, 0xe0, 0xf2, 0xfc]),
      Buffer.from(',,1000,bed,,,,1\nBED-003,Bed,,1000,bed,,,,1\n'),
    ]);
    const result = await importCatalog(t.db, { cityId, source: cp1251, format: 'csv' });
    expect(result.imported).toBe(1);
    expect(result.errors).toEqual([{ line: 2, reason: expect.stringMatching(/not valid UTF-8/) }]);
  });

  it("a retailer's own catalog goes in whole: new category and colour created, extra columns become attributes", async () => {
    const csv = [
      'sku,name,price,category,color,width_cm,Страна',
      'СТ-1/А,Стеллаж «Книжник»,45000,Стеллажи для книг,маренго,80,Казахстан',
      'СТ-2/Б,Стеллаж «Угол»,52000,Стеллажи для книг,маренго,"120,5",',
      '7701-55,Стеллаж низкий,30000,Стеллажи для книг,,60,Россия',
    ].join('\n');
    const result = await importCatalog(t.db, { cityId: shelves, source: csv, format: 'csv' });
    expect(result).toEqual({
      imported: 3,
      updated: 0,
      errors: [],
      created: [
        { kind: 'category', slug: 'stellazhi-dlya-knig', name: 'Стеллажи для книг' },
        { kind: 'color', slug: 'marengo', name: 'маренго' },
        { kind: 'attribute', slug: 'width-cm', name: 'width', type: 'number', unit: 'cm' },
        { kind: 'attribute', slug: 'strana', name: 'Страна', type: 'text' },
      ],
    });
    const row = async (sku: string) =>
      t.db
        .selectFrom('products')
        .select(['category', 'color', 'attributes'])
        .where('city_id', '=', shelves)
        .where('sku', '=', sku)
        .executeTakeFirstOrThrow();
    expect(await row('СТ-1/А')).toEqual({
      category: 'stellazhi-dlya-knig',
      color: 'marengo',
      attributes: { 'width-cm': 80, strana: 'Казахстан' },
    });
    expect((await row('СТ-2/Б')).attributes).toEqual({ 'width-cm': 120.5 });
    expect((await row('7701-55')).attributes).toEqual({ 'width-cm': 60, strana: 'Россия' });
    const taxonomy = await loadTaxonomy(t.db);
    expect(taxonomy.attributes.find((a) => a.key === 'width-cm')).toEqual({
      key: 'width-cm',
      kind: 'number',
      names: { ru: 'width' },
      unit: 'cm',
    });

    // the next file fills the same attributes by name, keeps what it does not mention, and refuses what does not fit
    const next = await importCatalog(t.db, {
      cityId: shelves,
      source: [
        'артикул,наименование,цена,Width CM,страна',
        'СТ-1/А,Стеллаж «Книжник»,44000,82,',
        '7701-55,Стеллаж низкий,30000,широкий,',
      ].join('\n'),
      format: 'csv',
    });
    expect(next).toEqual({
      imported: 0,
      updated: 1,
      errors: [{ line: 3, reason: 'Width CM must be a number (cm) (found «широкий»)' }],
      created: [],
    });
    expect((await row('СТ-1/А')).attributes).toEqual({ 'width-cm': 82, strana: 'Казахстан' });
  });

  it("JSON keys beyond the product's own, and an attributes object, become attributes; enumerations gain values", async () => {
    await createAttribute(t.db, {
      key: 'style',
      kind: 'enum',
      names: { ru: 'Стиль' },
      values: [{ value: 'loft', names: { ru: 'Лофт' } }],
    });
    const json = JSON.stringify([
      { sku: 'J-1', name: 'Стеллаж', price: 1, weightKg: 12.5, attributes: { style: 'лофт' } },
      { sku: 'J-2', name: 'Стеллаж', price: 1, weightKg: '7', attributes: { Стиль: 'Прованс' } },
    ]);
    const result = await importCatalog(t.db, { cityId: shelves, source: json, format: 'json' });
    expect(result).toEqual({
      imported: 2,
      updated: 0,
      errors: [],
      created: [
        { kind: 'attribute', slug: 'weightkg', name: 'weightKg', type: 'number' },
        { kind: 'value', attribute: 'style', slug: 'provans', name: 'Прованс' },
      ],
    });
    const attrs = await t.db
      .selectFrom('products')
      .select(['sku', 'attributes'])
      .where('sku', 'in', ['J-1', 'J-2'])
      .orderBy('sku')
      .execute();
    expect(attrs.map((a) => a.attributes)).toEqual([
      { weightkg: 12.5, style: 'loft' },
      { weightkg: 7, style: 'provans' },
    ]);
  });

  it('JSON arrays, with element numbers for errors; garbage input is one clear error', async () => {
    const json = JSON.stringify([
      { sku: 'MATR-001', name: 'Матрас', price: 99000, category: 'матрас', isAvailable: true },
      { sku: 'MATR-002', name: 'Матрас 2', price: 'дорого' },
      'nope',
      { sku: 'MATR-003', name: 'Матрас 3', price: 5000, image_url: 'javascript:alert(1)' },
    ]);
    const result = await importCatalog(t.db, { cityId, source: json, format: 'json' });
    expect(result.imported).toBe(1);
    expect(result.errors.map((e) => e.line)).toEqual([2, 3, 4]);
    expect((await getProductBySku(t.db, cityId, 'MATR-001'))?.category).toBe('mattress');
    expect((await importCatalog(t.db, { cityId, source: '{"a":', format: 'json' })).errors[0]?.reason).toMatch(
      /not valid JSON/,
    );
    expect((await importCatalog(t.db, { cityId, source: '', format: 'csv' })).errors[0]?.reason).toMatch(/empty/);
    expect((await importCatalog(t.db, { cityId, source: 'foo,bar\n1,2', format: 'csv' })).errors[0]?.reason).toMatch(
      /header is missing sku, name, price/,
    );
  });
});
