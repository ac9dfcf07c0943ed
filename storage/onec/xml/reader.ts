import { SaxesParser, type SaxesTagPlain } from 'saxes';
import { onlyChanges } from './attrs.ts';
import { readGood, readOffer, readPriceType, readProperty, readWarehouse, type GroupItem, type Item } from './items.ts';
import { localName, type XmlNode } from './node.ts';

/**
 * Reads a CommerceML 2 file as it streams, whatever its name: the root element's children say
 * what it holds (`Классификатор` groups and properties, `Каталог` goods, `ПакетПредложений` price
 * types, warehouses and offers), so `import.xml`, `offers.xml` and the split files of schema
 * 2.08+ (`import___…`, `offers___…`, `prices___…`, `rests___…`) are all read by one reader. Only one
 * element of interest is held at a time. A document type declaration is refused outright (no
 * CommerceML file has one; refusing it shuts out external entities and entity expansion bombs).
 */
export class CommerceMlError extends Error {
  override readonly name = 'CommerceMlError';
}

export type Warning = { kind: 'warning'; message: string };
export type ReadEvent = Item | Warning;

export const SCHEMA_VERSIONS = { min: 4, max: 10 } as const;
const MAX_ITEM_CHARS = 4 << 20;

type Capture = { nodes: XmlNode[]; chars: number; read: (node: XmlNode) => ReadEvent | string };
type GroupFrame = { id: string; name: string; emitted: boolean };

const CAPTURED: Record<string, { parent: string; read: (node: XmlNode) => ReadEvent | string }> = {
  Свойство: { parent: 'Свойства', read: readProperty },
  Товар: { parent: 'Товары', read: readGood },
  ТипЦены: { parent: 'ТипыЦен', read: readPriceType },
  Склад: { parent: 'Склады', read: readWarehouse },
  Предложение: { parent: 'Предложения', read: readOffer },
};

export function checkSchemaVersion(version: string | undefined): string | undefined {
  const minor = /^2\.(\d{1,2})(?:\.\d+)*$/.exec(version?.trim() ?? '')?.[1];
  if (minor !== undefined && Number(minor) >= SCHEMA_VERSIONS.min && Number(minor) <= SCHEMA_VERSIONS.max)
    return undefined;
  return version
    ? `schema version ${version} is not supported (CommerceML 2.04–2.10)`
    : 'the file does not state its schema version (ВерсияСхемы)';
}

export async function* readCommerceMl(text: AsyncIterable<string>): AsyncGenerator<ReadEvent> {
  const queue: ReadEvent[] = [];
  const stack: string[] = [];
  const groups: GroupFrame[] = [];
  let capture: Capture | undefined;
  let simpleText = '';
  let position = 0;

  const emitGroup = (frame: GroupFrame) => {
    if (frame.emitted) return;
    frame.emitted = true;
    if (!frame.id || !frame.name) {
      queue.push({
        kind: 'warning',
        message: `a group without Ид or Наименование (${frame.id || frame.name}) was skipped`,
      });
      return;
    }
    const parent = groups[groups.indexOf(frame) - 1]?.id;
    const group: GroupItem = { kind: 'group', id: frame.id, name: frame.name.slice(0, 200), position: position++ };
    queue.push(parent ? { ...group, parent } : group);
  };

  const parser = new SaxesParser({ xmlns: false, position: false });
  parser.on('error', (error) => {
    throw new CommerceMlError(`the XML is malformed: ${error.message}`);
  });
  parser.on('doctype', () => {
    throw new CommerceMlError('the file declares a DOCTYPE; CommerceML files have none and it is not read');
  });
  parser.on('opentag', (tag: SaxesTagPlain) => {
    const name = localName(tag.name);
    const parent = stack.at(-1);
    stack.push(name);
    simpleText = '';
    if (capture) {
      const node: XmlNode = { name, attrs: attributes(tag), children: [], text: '' };
      capture.nodes.at(-1)!.children.push(node);
      capture.nodes.push(node);
      return;
    }
    if (parent === undefined) {
      if (name !== 'КоммерческаяИнформация')
        throw new CommerceMlError(`not a CommerceML file: the root element is <${name}>`);
      const version = attributes(tag).ВерсияСхемы;
      const problem = checkSchemaVersion(version);
      if (problem) throw new CommerceMlError(problem);
      queue.push({ kind: 'root', schemaVersion: version!.trim() });
      return;
    }
    const captured = CAPTURED[name];
    if (captured && captured.parent === parent) {
      capture = { nodes: [{ name, attrs: attributes(tag), children: [], text: '' }], chars: 0, read: captured.read };
      return;
    }
    if (stack.length === 2 && (name === 'Каталог' || name === 'ПакетПредложений')) {
      const flag = onlyChanges(attributes(tag).СодержитТолькоИзменения);
      queue.push({
        kind: name === 'Каталог' ? 'catalog' : 'package',
        ...(flag !== undefined ? { onlyChanges: flag } : {}),
      });
    } else if (name === 'Группа' && parent === 'Группы' && stack.includes('Классификатор')) {
      groups.push({ id: '', name: '', emitted: false });
    } else if (name === 'Группы' && parent === 'Группа' && groups.length > 0) {
      emitGroup(groups.at(-1)!);
    }
  });
  const onText = (chunk: string) => {
    if (capture) {
      capture.chars += chunk.length;
      if (capture.chars > MAX_ITEM_CHARS)
        throw new CommerceMlError(`one <${capture.nodes[0]!.name}> holds more than ${MAX_ITEM_CHARS} characters`);
      capture.nodes.at(-1)!.text += chunk;
    } else if (stack.length > 0) simpleText += chunk;
  };
  parser.on('text', onText);
  parser.on('cdata', onText);
  parser.on('closetag', () => {
    const name = stack.pop()!;
    const parent = stack.at(-1);
    if (capture) {
      const node = capture.nodes.pop()!;
      if (capture.nodes.length > 0) return;
      const read = capture.read(node);
      capture = undefined;
      queue.push(typeof read === 'string' ? { kind: 'warning', message: read } : read);
      return;
    }
    const text = simpleText.trim();
    simpleText = '';
    if (parent === 'Группа' && groups.length > 0 && (name === 'Ид' || name === 'Наименование')) {
      const frame = groups.at(-1)!;
      if (name === 'Ид') frame.id = text;
      else frame.name = text;
    } else if (name === 'Группа' && groups.length > 0 && parent === 'Группы') {
      emitGroup(groups.at(-1)!);
      groups.pop();
    } else if (name === 'СодержитТолькоИзменения' && stack.length === 2) {
      const flag = onlyChanges(text);
      if (flag !== undefined) queue.push({ kind: parent === 'Каталог' ? 'catalog' : 'package', onlyChanges: flag });
    }
  });

  for await (const piece of text) {
    parser.write(piece);
    yield* queue.splice(0);
  }
  parser.close();
  yield* queue.splice(0);
}

function attributes(tag: SaxesTagPlain): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(tag.attributes)) out[localName(key)] = value;
  return out;
}
