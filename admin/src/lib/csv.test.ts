import { describe, expect, it } from 'vitest';
import { chunkCsv, splitCsv } from './csv.ts';

describe('csv chunks', () => {
  it('keeps quoted commas and newlines inside one record', () => {
    const text = '\uFEFFsku,name,description\r\nA-1,"Sofa, grey","two\nlines"\r\nB-2,Bed,\r\n\r\n';
    expect(splitCsv(text)).toEqual({
      header: 'sku,name,description',
      records: ['A-1,"Sofa, grey","two\nlines"', 'B-2,Bed,'],
    });
  });
  it('repeats the header in every chunk and counts rows', () => {
    const text = 'sku,name\nA-1,a\nA-2,b\nA-3,c\n';
    const chunks = chunkCsv(text, 2);
    expect(chunks).toEqual([
      { csv: 'sku,name\nA-1,a\nA-2,b\n', firstRow: 0, rows: 2 },
      { csv: 'sku,name\nA-3,c\n', firstRow: 2, rows: 1 },
    ]);
  });
});
