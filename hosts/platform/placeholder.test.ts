import { describe, expect, it } from 'vitest';
import { PlaceholderPictures } from './placeholder.ts';

describe('PlaceholderPictures', () => {
  it('draws each colour once and keeps only the most recently used ones', () => {
    let renders = 0;
    const pictures = new PlaceholderPictures({ max: 2, onRender: () => void renders++ });
    const sofa = (color: string) => ({ sku: `S-${color}`, name: 'Диван', price: 1, color });
    const red = pictures.png(sofa('red'));
    expect(red.subarray(1, 4).toString('ascii')).toBe('PNG');
    expect(pictures.png({ ...sofa('red'), sku: 'other-red-sku' })).toBe(red);
    pictures.png(sofa('blue'));
    expect(renders).toBe(2);
    pictures.png(sofa('red')); // red is now the most recent: green pushes blue out
    pictures.png(sofa('green'));
    expect(renders).toBe(3);
    pictures.png(sofa('red'));
    expect(renders).toBe(3);
    pictures.png(sofa('blue'));
    expect(renders).toBe(4);
  });
});
