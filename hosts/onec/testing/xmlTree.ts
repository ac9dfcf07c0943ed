import { SaxesParser } from 'saxes';

/** A whole XML document as a small tree, for tests that parse back what the exchange answered. */
export type El = { name: string; attrs: Record<string, string>; children: El[]; text: string };

export function parseXml(text: string): El {
  const root: El = { name: '#document', attrs: {}, children: [], text: '' };
  const stack: El[] = [root];
  const parser = new SaxesParser({ xmlns: false });
  parser.on('error', (error) => {
    throw error;
  });
  parser.on('opentag', (tag) => {
    const el: El = { name: tag.name, attrs: tag.attributes as Record<string, string>, children: [], text: '' };
    stack.at(-1)!.children.push(el);
    stack.push(el);
  });
  parser.on('text', (t) => {
    stack.at(-1)!.text += t;
  });
  parser.on('closetag', () => {
    stack.pop();
  });
  parser.write(text).close();
  return root.children[0]!;
}

export const kids = (el: El | undefined, name: string): El[] => el?.children.filter((c) => c.name === name) ?? [];
export const kid = (el: El | undefined, name: string): El | undefined => kids(el, name)[0];
/** the text at a path of children, '' when absent */
export const at = (el: El | undefined, ...path: string[]): string => {
  let current = el;
  for (const name of path) current = kid(current, name);
  return current?.text.trim() ?? '';
};
/** `ЗначенияРеквизитов` as name → value */
export const requisites = (el: El | undefined): Record<string, string> =>
  Object.fromEntries(
    kids(kid(el, 'ЗначенияРеквизитов'), 'ЗначениеРеквизита').map((r) => [at(r, 'Наименование'), at(r, 'Значение')]),
  );
