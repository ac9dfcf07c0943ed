/**
 * A catalog of any size in the shape 1C exports it (groups, a Справочник, a number and a text
 * property, goods with Артикул, description and requisites; offers with two price types and two
 * warehouses), written piece by piece so a 100,000-good file never exists whole in memory.
 */
export const goodId = (i: number): string =>
  `${(0x10000000 + i).toString(16)}-1c00-4000-8000-${i.toString(16).padStart(12, '0')}`;
const groupId = (i: number): string => `${(0x20000000 + i).toString(16)}-1c00-4000-8000-000000000000`;
const COLOR = '30000000-1c00-4000-8000-000000000001';
const WIDTH = '30000000-1c00-4000-8000-000000000002';
const COUNTRY = '30000000-1c00-4000-8000-000000000003';
const COLORS = ['Серый', 'Бежевый', 'Графитовый', 'Белый', 'Терракотовый'];
const colorValue = (i: number): string => `40000000-1c00-4000-8000-00000000000${i}`;
export const RETAIL = '50000000-1c00-4000-8000-000000000002';
const WHOLESALE = '50000000-1c00-4000-8000-000000000001';
const STORES = ['60000000-1c00-4000-8000-000000000001', '60000000-1c00-4000-8000-000000000002'];
const GROUPS = 20;

const head = (version: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<КоммерческаяИнформация xmlns="urn:1C.ru:commerceml_2" ВерсияСхемы="${version}" ДатаФормирования="2024-03-14T10:22:05">\n`;

export type CatalogShape = { goods: number; version?: string; onlyChanges?: boolean; from?: number; name?: string };

export function* catalogXml(shape: CatalogShape): Generator<string> {
  const version = shape.version ?? '2.07';
  yield head(version);
  yield '\t<Классификатор>\n\t\t<Ид>cls</Ид>\n\t\t<Наименование>Классификатор</Наименование>\n\t\t<Группы>\n';
  for (let parent = 0; parent < 4; parent++) {
    yield `\t\t\t<Группа>\n\t\t\t\t<Ид>${groupId(parent)}</Ид>\n\t\t\t\t<Наименование>Раздел ${parent + 1}</Наименование>\n\t\t\t\t<Группы>\n`;
    for (let g = 4 + parent * 4; g < 8 + parent * 4; g++)
      yield `\t\t\t\t\t<Группа>\n\t\t\t\t\t\t<Ид>${groupId(g)}</Ид>\n\t\t\t\t\t\t<Наименование>Группа товаров ${g}</Наименование>\n\t\t\t\t\t</Группа>\n`;
    yield '\t\t\t\t</Группы>\n\t\t\t</Группа>\n';
  }
  yield '\t\t</Группы>\n\t\t<Свойства>\n';
  yield `\t\t\t<Свойство>\n\t\t\t\t<Ид>${COLOR}</Ид>\n\t\t\t\t<Наименование>Цвет</Наименование>\n\t\t\t\t<ТипЗначений>Справочник</ТипЗначений>\n\t\t\t\t<ВариантыЗначений>\n`;
  for (const [i, name] of COLORS.entries())
    yield `\t\t\t\t\t<Справочник>\n\t\t\t\t\t\t<ИдЗначения>${colorValue(i)}</ИдЗначения>\n\t\t\t\t\t\t<Значение>${name}</Значение>\n\t\t\t\t\t</Справочник>\n`;
  yield '\t\t\t\t</ВариантыЗначений>\n\t\t\t</Свойство>\n';
  yield `\t\t\t<Свойство>\n\t\t\t\t<Ид>${WIDTH}</Ид>\n\t\t\t\t<Наименование>Ширина, см</Наименование>\n\t\t\t\t<ТипЗначений>Число</ТипЗначений>\n\t\t\t</Свойство>\n`;
  yield `\t\t\t<Свойство>\n\t\t\t\t<Ид>${COUNTRY}</Ид>\n\t\t\t\t<Наименование>Страна производства</Наименование>\n\t\t\t\t<ТипЗначений>Строка</ТипЗначений>\n\t\t\t</Свойство>\n`;
  yield '\t\t</Свойства>\n\t</Классификатор>\n';
  yield `\t<Каталог СодержитТолькоИзменения="${shape.onlyChanges ? 'true' : 'false'}">\n\t\t<Ид>cat</Ид>\n\t\t<Наименование>Основной каталог</Наименование>\n\t\t<Товары>\n`;
  const from = shape.from ?? 0;
  for (let i = from; i < from + shape.goods; i++) yield good(i, shape.name);
  yield '\t\t</Товары>\n\t</Каталог>\n</КоммерческаяИнформация>\n';
}

/** the retailer's codes, three shapes: `000000042`, `УД-43`, `КГ 44/2` */
export const articleOf = (i: number): string =>
  i % 3 === 0 ? String(i).padStart(9, '0') : i % 3 === 1 ? `УД-${i}` : `КГ ${i}/${i % 7}`;

function good(i: number, name = 'Диван'): string {
  const article = articleOf(i);
  return `\t\t\t<Товар>
\t\t\t\t<Ид>${goodId(i)}</Ид>
\t\t\t\t<Штрихкод>4870${String(i).padStart(9, '0')}</Штрихкод>
\t\t\t\t<Артикул>${article}</Артикул>
\t\t\t\t<Наименование>${name} модель ${i}</Наименование>
\t\t\t\t<БазоваяЕдиница Код="796" НаименованиеПолное="Штука" МеждународноеСокращение="PCE">шт</БазоваяЕдиница>
\t\t\t\t<Группы>
\t\t\t\t\t<Ид>${groupId(4 + (i % (GROUPS - 4)))}</Ид>
\t\t\t\t</Группы>
\t\t\t\t<Описание>${name} модель ${i}: каркас из массива сосны, независимый пружинный блок, съёмные чехлы, ящик для белья. Гарантия 18 месяцев, доставка по Алматы.</Описание>
\t\t\t\t<ЗначенияСвойств>
\t\t\t\t\t<ЗначенияСвойства>
\t\t\t\t\t\t<Ид>${COLOR}</Ид>
\t\t\t\t\t\t<Значение>${colorValue(i % COLORS.length)}</Значение>
\t\t\t\t\t</ЗначенияСвойства>
\t\t\t\t\t<ЗначенияСвойства>
\t\t\t\t\t\t<Ид>${WIDTH}</Ид>
\t\t\t\t\t\t<Значение>${120 + (i % 150)},5</Значение>
\t\t\t\t\t</ЗначенияСвойства>
\t\t\t\t\t<ЗначенияСвойства>
\t\t\t\t\t\t<Ид>${COUNTRY}</Ид>
\t\t\t\t\t\t<Значение>Казахстан</Значение>
\t\t\t\t\t</ЗначенияСвойства>
\t\t\t\t</ЗначенияСвойств>
\t\t\t\t<ЗначенияРеквизитов>
\t\t\t\t\t<ЗначениеРеквизита>
\t\t\t\t\t\t<Наименование>ВидНоменклатуры</Наименование>
\t\t\t\t\t\t<Значение>Товар</Значение>
\t\t\t\t\t</ЗначениеРеквизита>
\t\t\t\t</ЗначенияРеквизитов>
\t\t\t</Товар>
`;
}

export type OffersShape = { goods: number; version?: string; from?: number; price?: (i: number) => number };

export function* offersXml(shape: OffersShape): Generator<string> {
  yield head(shape.version ?? '2.07');
  yield '\t<ПакетПредложений СодержитТолькоИзменения="false">\n\t\t<Ид>pkg</Ид>\n\t\t<Наименование>Пакет предложений</Наименование>\n\t\t<ТипыЦен>\n';
  yield `\t\t\t<ТипЦены>\n\t\t\t\t<Ид>${WHOLESALE}</Ид>\n\t\t\t\t<Наименование>Оптовая</Наименование>\n\t\t\t\t<Валюта>KZT</Валюта>\n\t\t\t</ТипЦены>\n`;
  yield `\t\t\t<ТипЦены>\n\t\t\t\t<Ид>${RETAIL}</Ид>\n\t\t\t\t<Наименование>Розничная</Наименование>\n\t\t\t\t<Валюта>KZT</Валюта>\n\t\t\t</ТипЦены>\n`;
  yield '\t\t</ТипыЦен>\n\t\t<Склады>\n';
  for (const [n, id] of STORES.entries())
    yield `\t\t\t<Склад>\n\t\t\t\t<Ид>${id}</Ид>\n\t\t\t\t<Наименование>Склад ${n + 1}</Наименование>\n\t\t\t</Склад>\n`;
  yield '\t\t</Склады>\n\t\t<Предложения>\n';
  const from = shape.from ?? 0;
  const price = shape.price ?? ((i: number) => 50_000 + (i % 400) * 1_000);
  for (let i = from; i < from + shape.goods; i++) {
    const retail = price(i);
    yield `\t\t\t<Предложение>
\t\t\t\t<Ид>${goodId(i)}</Ид>
\t\t\t\t<Наименование>Диван модель ${i}</Наименование>
\t\t\t\t<Цены>
\t\t\t\t\t<Цена>
\t\t\t\t\t\t<ИдТипаЦены>${WHOLESALE}</ИдТипаЦены>
\t\t\t\t\t\t<ЦенаЗаЕдиницу>${Math.round(retail * 0.85)}</ЦенаЗаЕдиницу>
\t\t\t\t\t\t<Валюта>KZT</Валюта>
\t\t\t\t\t</Цена>
\t\t\t\t\t<Цена>
\t\t\t\t\t\t<ИдТипаЦены>${RETAIL}</ИдТипаЦены>
\t\t\t\t\t\t<ЦенаЗаЕдиницу>${retail}</ЦенаЗаЕдиницу>
\t\t\t\t\t\t<Валюта>KZT</Валюта>
\t\t\t\t\t</Цена>
\t\t\t\t</Цены>
\t\t\t\t<Количество>${i % 5}</Количество>
\t\t\t\t<Склад ИдСклада="${STORES[0]}" КоличествоНаСкладе="${i % 3}"/>
\t\t\t\t<Склад ИдСклада="${STORES[1]}" КоличествоНаСкладе="${(i % 5) - (i % 3)}"/>
\t\t\t</Предложение>
`;
  }
  yield '\t\t</Предложения>\n\t</ПакетПредложений>\n</КоммерческаяИнформация>\n';
}

/** UTF-8 pieces of about `size` bytes from a text generator */
export function* bytesOf(text: Iterable<string>, size = 64 * 1024): Generator<Buffer> {
  let pending: string[] = [];
  let length = 0;
  for (const piece of text) {
    pending.push(piece);
    length += piece.length;
    if (length >= size / 2) {
      yield Buffer.from(pending.join(''), 'utf8');
      pending = [];
      length = 0;
    }
  }
  if (pending.length > 0) yield Buffer.from(pending.join(''), 'utf8');
}
