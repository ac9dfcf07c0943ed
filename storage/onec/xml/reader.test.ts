import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { decodeXml } from './decode.ts';
import { readCommerceMl, type ReadEvent } from './reader.ts';

/** The streaming reader on the shapes different 1C configurations write, fed in awkward pieces. */
async function read(xml: string | Buffer, pieceSize = 7): Promise<ReadEvent[]> {
  const bytes = typeof xml === 'string' ? Buffer.from(xml, 'utf8') : xml;
  async function* pieces() {
    for (let at = 0; at < bytes.byteLength; at += pieceSize) yield bytes.subarray(at, at + pieceSize);
  }
  const out: ReadEvent[] = [];
  for await (const event of readCommerceMl(decodeXml(pieces()))) out.push(event);
  return out;
}

const doc = (body: string, version = '2.10') =>
  `<?xml version="1.0" encoding="UTF-8"?><КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="${version}">${body}</КоммерческаяИнформация>`;

describe('readCommerceMl', () => {
  it('reads nested groups parents first, with their parent, whatever the piece boundaries', async () => {
    const events = await read(
      doc(`<Классификатор><Ид>c</Ид><Группы>
        <Группа><Ид>g1</Ид><Наименование>Мебель</Наименование><Группы>
          <Группа><Ид>g2</Ид><Наименование>Диваны</Наименование><Группы>
            <Группа><Ид>g3</Ид><Наименование>Угловые диваны</Наименование></Группа></Группы></Группа>
          <Группа><Ид>g4</Ид><Наименование>Стулья</Наименование></Группа></Группы></Группа>
        <Группа><Ид>g5</Ид><Наименование>Прихожие</Наименование></Группа></Группы></Классификатор>`),
      1,
    );
    expect(events.filter((e) => e.kind === 'group')).toEqual([
      { kind: 'group', id: 'g1', name: 'Мебель', position: 0 },
      { kind: 'group', id: 'g2', name: 'Диваны', position: 1, parent: 'g1' },
      { kind: 'group', id: 'g3', name: 'Угловые диваны', position: 2, parent: 'g2' },
      { kind: 'group', id: 'g4', name: 'Стулья', position: 3, parent: 'g1' },
      { kind: 'group', id: 'g5', name: 'Прихожие', position: 4 },
    ]);
  });

  it('reads «only changes» as an attribute (2.04–2.08) or as an element (2.10), and says nothing when absent', async () => {
    const flags = async (body: string) =>
      (await read(doc(body))).filter((e) => e.kind === 'catalog' || e.kind === 'package');
    expect(await flags('<Каталог СодержитТолькоИзменения="false"><Ид>x</Ид></Каталог>')).toEqual([
      { kind: 'catalog', onlyChanges: false },
    ]);
    expect(await flags('<Каталог><СодержитТолькоИзменения>true</СодержитТолькоИзменения></Каталог>')).toEqual([
      { kind: 'catalog' },
      { kind: 'catalog', onlyChanges: true },
    ]);
    expect(await flags('<ПакетПредложений><Ид>p</Ид></ПакетПредложений>')).toEqual([{ kind: 'package' }]);
  });

  it('reads goods: deletion by flag or status, several pictures, several values, a decimal comma', async () => {
    const events = await read(
      doc(`<Каталог><Товары>
        <Товар Статус="Удален"><Ид>a</Ид><Наименование>Старый диван</Наименование></Товар>
        <Товар><Ид>b</Ид><Артикул>КГ 17/3</Артикул><Наименование>Стул</Наименование>
          <ПометкаУдаления>false</ПометкаУдаления><Картинка>import_files/1.jpg</Картинка><Картинка>import_files/2.jpg</Картинка>
          <Группы><Ид>g2</Ид></Группы>
          <ЗначенияСвойств><ЗначенияСвойства><Ид>p</Ид><Значение>1,5</Значение><Значение>00000000-0000-0000-0000-000000000000</Значение></ЗначенияСвойства>
          <ЗначенияСвойства><Ид>q</Ид><Значение></Значение></ЗначенияСвойства></ЗначенияСвойств></Товар>
        <Товар><Наименование>Без Ид</Наименование></Товар></Товары></Каталог>`),
    );
    const goods = events.filter((e) => e.kind === 'good');
    expect(goods).toEqual([
      { kind: 'good', id: 'a', name: 'Старый диван', groups: [], properties: [], pictures: [], deleted: true },
      {
        kind: 'good',
        id: 'b',
        article: 'КГ 17/3',
        name: 'Стул',
        groups: ['g2'],
        properties: [{ id: 'p', values: ['1,5'] }],
        pictures: ['import_files/1.jpg', 'import_files/2.jpg'],
        deleted: false,
      },
    ]);
    expect(events.filter((e) => e.kind === 'warning')).toEqual([
      { kind: 'warning', message: 'a good without Ид (Без Ид) was skipped' },
    ]);
  });

  it('reads offers in every stock shape, and a 2.10 variant named apart from its good', async () => {
    const events = await read(
      doc(`<ПакетПредложений><Предложения>
        <Предложение><Ид>a</Ид><Цены><Цена><ИдТипаЦены>t</ИдТипаЦены><ЦенаЗаЕдиницу>249 990,50</ЦенаЗаЕдиницу></Цена></Цены>
          <Количество>5</Количество><Склад ИдСклада="w1" КоличествоНаСкладе="3"/><Склад ИдСклада="w2" КоличествоНаСкладе="2"/></Предложение>
        <Предложение><Ид>b</Ид><ИдХарактеристики>k</ИдХарактеристики><Склады ИдСклада="w1" КоличествоНаСкладе="4"/></Предложение>
        <Предложение><Ид>c#k</Ид><Остатки><Остаток><Склад><Ид>w2</Ид><Количество>7</Количество></Склад></Остаток></Остатки></Предложение>
        <Предложение><Ид>d</Ид><Остатки><Остаток><Количество>9</Количество></Остаток></Остатки></Предложение>
      </Предложения></ПакетПредложений>`),
    );
    expect(events.filter((e) => e.kind === 'offer')).toEqual([
      {
        kind: 'offer',
        id: 'a',
        characteristics: [],
        prices: [{ type: 't', value: 249990.5 }],
        quantity: 5,
        stock: [
          { warehouse: 'w1', quantity: 3 },
          { warehouse: 'w2', quantity: 2 },
        ],
      },
      { kind: 'offer', id: 'b#k', characteristics: [], stock: [{ warehouse: 'w1', quantity: 4 }] },
      { kind: 'offer', id: 'c#k', characteristics: [], stock: [{ warehouse: 'w2', quantity: 7 }] },
      { kind: 'offer', id: 'd', characteristics: [], quantity: 9 },
    ]);
  });

  it('decodes windows-1251 from its declaration and UTF-8 split inside a letter', async () => {
    const cyrillic = doc(
      '<Каталог><Товары><Товар><Ид>я</Ид><Наименование>Шкаф «Ёлка»</Наименование></Товар></Товары></Каталог>',
      '2.05',
    );
    const win = iconv.encode(cyrillic.replace('UTF-8', 'windows-1251'), 'win1251');
    for (const events of [await read(win, 3), await read(cyrillic, 1)])
      expect(events.find((e) => e.kind === 'good')).toMatchObject({ id: 'я', name: 'Шкаф «Ёлка»' });
  });
});
