import { LineCounter, isNode, parseDocument } from 'yaml';

/**
 * Where a validation error points in the YAML text: `menu.2.action.flow` → line 61. Also reads
 * the loader's own `line 3, column 5` form. Returns undefined when the path is not in the text.
 */
export function lineOfPath(text: string, path: string): number | undefined {
  const direct = /line (\d+)/i.exec(path);
  if (direct) return Number(direct[1]);
  if (!path || path === '(root)' || path === '(document)') return undefined;
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, keepSourceTokens: false });
  const keys = path.split('.').map((k) => (/^\d+$/.test(k) ? Number(k) : k));
  // walk up until a node exists (a missing key points at its parent)
  for (let n = keys.length; n > 0; n--) {
    const node = doc.getIn(keys.slice(0, n), true);
    if (isNode(node) && node.range) {
      // a value's line; for maps/sequences the key sits on the line before the first item
      const pair = findKeyOffset(doc, keys.slice(0, n));
      return lineCounter.linePos(pair ?? node.range[0]).line;
    }
  }
  return undefined;
}

function findKeyOffset(doc: ReturnType<typeof parseDocument>, keys: (string | number)[]): number | undefined {
  const parent = keys.length > 1 ? doc.getIn(keys.slice(0, -1), true) : doc.contents;
  const last = keys.at(-1);
  const items = (parent as { items?: { key?: { value?: unknown; range?: [number, number, number] } }[] } | null)?.items;
  if (!Array.isArray(items) || typeof last !== 'string') return undefined;
  const pair = items.find((p) => p.key && (p.key as { value?: unknown }).value === last);
  return pair?.key?.range?.[0];
}

/** the YAML's own syntax errors, with lines, before anything reaches the server */
export function yamlSyntaxErrors(text: string): { line: number; message: string }[] {
  const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
  return doc.errors.map((e) => ({ line: e.linePos?.[0]?.line ?? 1, message: e.message.split('\n')[0] ?? e.message }));
}
