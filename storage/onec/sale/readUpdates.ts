import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { decodeXml } from '../xml/decode.ts';
import { child, childrenNamed, localName, numberOf, textOf, type XmlNode } from '../xml/node.ts';
import { checkSchemaVersion, CommerceMlError } from '../xml/reader.ts';

/**
 * What 1C sends back at `type=sale&mode=file`: a КоммерческаяИнформация whose `Документ`s are the
 * orders it changed (under the root, or in `Контейнер`s as newer modules write), each with its
 * `ЗначенияРеквизитов` (Проведен, ПометкаУдаления, Статус заказа, Дата оплаты по 1С, Номер
 * отгрузки по 1С, …). The file is small (a status change per order) and read whole; anything
 * that is not a well-formed CommerceML file of a supported version is refused before a single
 * order is touched. A DOCTYPE is refused as in the catalog exchange.
 */
export type OrderUpdate = {
  /** the `Ид` 1C kept from our export (the order's id) */
  id: string;
  /** the `Номер` (ours, or 1C's own when it renumbered) */
  number: string;
  /** `Сумма`, when sent: the amount a payment 1C reports is checked against */
  sum?: number;
  /** requisite name → value, names as 1C wrote them (later duplicates win) */
  requisites: Record<string, string>;
};

const MAX_DOCUMENT_CHARS = 1 << 20;

export async function readOrderUpdates(bytes: Uint8Array): Promise<OrderUpdate[]> {
  const documents: XmlNode[] = [];
  const stack: string[] = [];
  let capture: XmlNode[] | undefined;
  let chars = 0;
  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('error', (error) => {
    throw new CommerceMlError(`the XML is malformed: ${error.message}`);
  });
  parser.on('doctype', () => {
    throw new CommerceMlError('the file declares a DOCTYPE; CommerceML files have none and it is not read');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const attrs = Object.fromEntries(Object.entries(tag.attributes).map(([k, v]) => [localName(k), v]));
    if (stack.length === 0) {
      if (name !== 'КоммерческаяИнформация')
        throw new CommerceMlError(`not a CommerceML file: the root element is <${name}>`);
      const problem = checkSchemaVersion(attrs.ВерсияСхемы);
      // CommerceML 3 (Контейнер) keeps the same Документ: accepted alongside 2.04–2.10
      if (problem && !/^3\.\d+/.test(attrs.ВерсияСхемы?.trim() ?? '')) throw new CommerceMlError(problem);
    }
    stack.push(name);
    const node: XmlNode = { name, attrs, children: [], text: '' };
    if (capture) {
      capture.at(-1)!.children.push(node);
      capture.push(node);
    } else if (name === 'Документ') {
      capture = [node];
      chars = 0;
    }
  });
  const onText = (text: string) => {
    if (!capture) return;
    chars += text.length;
    if (chars > MAX_DOCUMENT_CHARS) throw new CommerceMlError('one <Документ> holds more than a megabyte of text');
    capture.at(-1)!.text += text;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    stack.pop();
    if (!capture) return;
    const node = capture.pop()!;
    if (capture.length === 0) {
      documents.push(node);
      capture = undefined;
    }
  });
  for await (const text of decodeXml(once(bytes))) parser.write(text);
  parser.close();
  if (stack.length > 0) throw new CommerceMlError('the file ends before its root element closes');
  return documents.map(toUpdate);
}

async function* once(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  yield bytes;
}

function toUpdate(document: XmlNode): OrderUpdate {
  const requisites: Record<string, string> = {};
  for (const value of childrenNamed(child(document, 'ЗначенияРеквизитов'), 'ЗначениеРеквизита')) {
    const name = textOf(value, 'Наименование');
    if (name) requisites[name] = textOf(value, 'Значение');
  }
  const sum = numberOf(textOf(document, 'Сумма'));
  return {
    id: textOf(document, 'Ид'),
    number: textOf(document, 'Номер'),
    ...(sum !== undefined ? { sum } : {}),
    requisites,
  };
}
