import { attrOrText } from './attrs.ts';
import { child, childrenNamed, isTrue, numberOf, textOf, type XmlNode } from './node.ts';

/**
 * What a CommerceML file says, one item at a time, in the shapes the staging tables keep. Each
 * reader takes one captured element; an element missing what identifies it becomes a warning.
 */
export type GroupItem = { kind: 'group'; id: string; name: string; parent?: string; position: number };
export type PropertyItem = {
  kind: 'property';
  id: string;
  name: string;
  type: 'enum' | 'number' | 'text';
  values: { id: string; name: string }[];
};
export type GoodItem = {
  kind: 'good';
  id: string;
  article?: string;
  name: string;
  description?: string;
  groups: string[];
  properties: { id: string; values: string[] }[];
  pictures: string[];
  deleted: boolean;
};
export type PriceTypeItem = { kind: 'price_type'; id: string; name: string; currency?: string };
export type WarehouseItem = { kind: 'warehouse'; id: string; name: string };
export type OfferItem = {
  kind: 'offer';
  id: string;
  article?: string;
  name?: string;
  characteristics: { name: string; value: string }[];
  /** absent when the offer carries no prices (a `rests` file) */
  prices?: { type: string; value: number; currency?: string }[];
  /** the total quantity (`Количество`, or the sum of `Остатки` without a warehouse) */
  quantity?: number;
  /** per warehouse, when the offer names them */
  stock?: { warehouse: string; quantity: number }[];
};
export type HeaderItem =
  | { kind: 'root'; schemaVersion: string }
  | { kind: 'catalog'; onlyChanges?: boolean }
  | { kind: 'package'; onlyChanges?: boolean };

export type Item = HeaderItem | GroupItem | PropertyItem | GoodItem | PriceTypeItem | WarehouseItem | OfferItem;
export type StagedItem = Exclude<Item, HeaderItem>;

const EMPTY_ID = /^0{8}-0{4}-0{4}-0{4}-0{12}$/;
const clip = (text: string, max: number) => (text.length > max ? text.slice(0, max) : text);

export function readProperty(node: XmlNode): PropertyItem | string {
  const id = textOf(node, 'Ид');
  const name = textOf(node, 'Наименование');
  if (!id || !name) return `a property without Ид or Наименование (${id || name || '?'}) was skipped`;
  const typeText = textOf(node, 'ТипЗначений').toLowerCase();
  const type = typeText === 'справочник' ? 'enum' : typeText === 'число' ? 'number' : 'text';
  const values = childrenNamed(child(node, 'ВариантыЗначений'), 'Справочник')
    .map((v) => ({ id: textOf(v, 'ИдЗначения'), name: clip(textOf(v, 'Значение'), 200) }))
    .filter((v) => v.id !== '' && v.name !== '');
  return { kind: 'property', id, name: clip(name, 200), type, values };
}

export function readGood(node: XmlNode): GoodItem | string {
  const id = textOf(node, 'Ид');
  const name = textOf(node, 'Наименование');
  if (!id) return `a good without Ид (${name || '?'}) was skipped`;
  if (!name) return `the good ${id} has no Наименование and was skipped`;
  const status = attrOrText(node, 'Статус').toLowerCase();
  const properties = childrenNamed(child(node, 'ЗначенияСвойств'), 'ЗначенияСвойства')
    .map((p) => ({
      id: textOf(p, 'Ид'),
      values: childrenNamed(p, 'Значение')
        .map((v) => v.text.trim())
        .filter((v) => v !== '' && !EMPTY_ID.test(v)),
    }))
    .filter((p) => p.id !== '' && p.values.length > 0);
  const article = textOf(node, 'Артикул');
  const description = textOf(node, 'Описание');
  return {
    kind: 'good',
    id,
    ...(article ? { article } : {}),
    name: clip(name, 300),
    ...(description ? { description: clip(description, 20_000) } : {}),
    groups: childrenNamed(child(node, 'Группы'), 'Ид')
      .map((g) => g.text.trim())
      .filter(Boolean),
    properties,
    pictures: childrenNamed(node, 'Картинка')
      .map((p) => p.text.trim())
      .filter(Boolean),
    deleted: isTrue(textOf(node, 'ПометкаУдаления')) || status === 'удален',
  };
}

export function readPriceType(node: XmlNode): PriceTypeItem | string {
  const id = textOf(node, 'Ид');
  const name = textOf(node, 'Наименование');
  if (!id) return `a price type without Ид (${name || '?'}) was skipped`;
  const currency = textOf(node, 'Валюта');
  return { kind: 'price_type', id, name: name || id, ...(currency ? { currency } : {}) };
}

export function readWarehouse(node: XmlNode): WarehouseItem | string {
  const id = textOf(node, 'Ид');
  if (!id) return 'a warehouse without Ид was skipped';
  return { kind: 'warehouse', id, name: clip(textOf(node, 'Наименование') || id, 200) };
}

export function readOffer(node: XmlNode): OfferItem | string {
  const good = textOf(node, 'Ид');
  const characteristic = textOf(node, 'ИдХарактеристики');
  // 2.10 may name the variant apart from its good; elsewhere the Ид is «good#characteristic»
  const id = characteristic && !good.includes('#') ? `${good}#${characteristic}` : good;
  if (!good) return `an offer without Ид (${textOf(node, 'Наименование') || '?'}) was skipped`;
  const pricesNode = child(node, 'Цены');
  const prices = pricesNode
    ? childrenNamed(pricesNode, 'Цена').flatMap((p) => {
        const value = numberOf(textOf(p, 'ЦенаЗаЕдиницу'));
        const currency = textOf(p, 'Валюта');
        return value === undefined ? [] : [{ type: textOf(p, 'ИдТипаЦены'), value, ...(currency ? { currency } : {}) }];
      })
    : undefined;
  const stock = new Map<string, number>();
  for (const s of [...childrenNamed(node, 'Склад'), ...childrenNamed(node, 'Склады')]) {
    const warehouse = s.attrs.ИдСклада?.trim();
    const quantity = numberOf(s.attrs.КоличествоНаСкладе ?? '');
    if (warehouse && quantity !== undefined) stock.set(warehouse, (stock.get(warehouse) ?? 0) + quantity);
  }
  let restTotal: number | undefined;
  for (const rest of childrenNamed(child(node, 'Остатки'), 'Остаток')) {
    const warehouse = child(rest, 'Склад');
    if (warehouse) {
      const wid = textOf(warehouse, 'Ид');
      const quantity = numberOf(textOf(warehouse, 'Количество'));
      if (wid && quantity !== undefined) stock.set(wid, (stock.get(wid) ?? 0) + quantity);
    } else {
      const quantity = numberOf(textOf(rest, 'Количество'));
      if (quantity !== undefined) restTotal = (restTotal ?? 0) + quantity;
    }
  }
  const quantity = numberOf(textOf(node, 'Количество')) ?? restTotal;
  const article = textOf(node, 'Артикул');
  const name = textOf(node, 'Наименование');
  return {
    kind: 'offer',
    id,
    ...(article ? { article } : {}),
    ...(name ? { name: clip(name, 300) } : {}),
    characteristics: childrenNamed(child(node, 'ХарактеристикиТовара'), 'ХарактеристикаТовара')
      .map((c) => ({ name: textOf(c, 'Наименование'), value: textOf(c, 'Значение') }))
      .filter((c) => c.value !== ''),
    ...(prices ? { prices } : {}),
    ...(quantity !== undefined ? { quantity } : {}),
    ...(stock.size > 0 ? { stock: [...stock].map(([warehouse, q]) => ({ warehouse, quantity: q })) } : {}),
  };
}
