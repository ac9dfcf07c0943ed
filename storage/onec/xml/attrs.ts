import { textOf, type XmlNode } from './node.ts';

/** A flag 1C writes as an attribute in one schema version and as a child element in another. */
export function attrOrText(node: XmlNode, name: string): string {
  return (node.attrs[name] ?? textOf(node, name)).trim();
}

/** `СодержитТолькоИзменения`: true / false when stated, undefined when the file does not say */
export function onlyChanges(value: string | undefined): boolean | undefined {
  const text = value?.trim().toLowerCase();
  if (text === 'true') return true;
  if (text === 'false') return false;
  return undefined;
}
