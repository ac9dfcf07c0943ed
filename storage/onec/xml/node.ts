/**
 * One captured element (a `Товар`, `Предложение`, `Свойство`, …) as a small tree: a good is a few
 * kilobytes, so each is held whole while its handler reads it, and dropped right after.
 */
export type XmlNode = {
  name: string;
  attrs: Record<string, string>;
  children: XmlNode[];
  text: string;
};

export const localName = (qualified: string): string => {
  const colon = qualified.indexOf(':');
  return colon === -1 ? qualified : qualified.slice(colon + 1);
};

export const child = (node: XmlNode | undefined, name: string): XmlNode | undefined =>
  node?.children.find((c) => c.name === name);

export const childrenNamed = (node: XmlNode | undefined, name: string): XmlNode[] =>
  node ? node.children.filter((c) => c.name === name) : [];

/** the trimmed text of the child `name` (or of a path of children), '' when absent */
export function textOf(node: XmlNode | undefined, ...path: string[]): string {
  let current = node;
  for (const name of path) current = child(current, name);
  return current?.text.trim() ?? '';
}

/** CommerceML numbers: `1 234,50`, `1234.5`, `-0`; undefined when there is none */
export function numberOf(text: string): number | undefined {
  const compact = text.replace(/[\s\u00a0\u202f]/g, '').replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(compact)) return undefined;
  const value = Number(compact);
  return Number.isFinite(value) ? value : undefined;
}

export const isTrue = (text: string): boolean => ['true', '1', 'да', 'истина'].includes(text.trim().toLowerCase());
