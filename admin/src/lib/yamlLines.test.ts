import { describe, expect, it } from 'vitest';
import { lineOfPath, yamlSyntaxErrors } from './yamlLines.ts';

const text = `id: demo
version: 1
routing:
  smalltalk: nowhere
menu:
  - id: a
    label: { ru: А, kk: А, en: A }
    action: { flow: info, text: missing }
texts:
  ru: {}
`;

describe('lineOfPath', () => {
  it('finds keys, list items and nested values', () => {
    expect(lineOfPath(text, 'routing.smalltalk')).toBe(4);
    expect(lineOfPath(text, 'menu.0.action.text')).toBe(8);
    expect(lineOfPath(text, 'menu.0.id')).toBe(6);
    expect(lineOfPath(text, 'texts.ru.greeting')).toBe(10);
    expect(lineOfPath(text, 'line 7, column 3')).toBe(7);
    expect(lineOfPath(text, '(root)')).toBeUndefined();
  });
  it('reports syntax errors with their line', () => {
    expect(yamlSyntaxErrors('a: 1\na: 2\n')[0]?.line).toBe(2);
    expect(yamlSyntaxErrors(text)).toEqual([]);
  });
});
