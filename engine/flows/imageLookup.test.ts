import { describe, expect, it } from 'vitest';
import {
  Convo,
  loadDefaultScenario,
  ofType,
  optionIds,
  product,
  replies,
  texts,
  types,
} from '../../scenarios/engine-testkit.ts';
import { criteriaFromDescription } from './imageLookup.ts';

const s = loadDefaultScenario();

describe('image lookup flow', () => {
  it('photo with a SKU on the price tag → OCR → lookup → product card', () => {
    const c = new Convo(s);
    expect(ofType(c.send({ type: 'image', ref: 'photos/tag.jpg' }), 'readImage')).toEqual([
      { type: 'readImage', ref: 'photos/tag.jpg' },
    ]);
    expect(c.value).toEqual({ image: 'reading' });
    expect(
      ofType(c.send({ type: 'readImage.done', text: 'Диван Милан\nАртикул: SOFA - 0O1\n250 000 тг' }), 'lookupSku'),
    ).toEqual([{ type: 'lookupSku', sku: 'SOFA-001' }]);
    expect(c.value).toEqual({ image: 'lookingUp' });
    const card = c.send({ type: 'lookupSku.done', sku: 'SOFA-001', product: product('SOFA-001', 250_000) });
    expect(replies(card)[0]).toMatchObject({ type: 'products', view: 'detail', items: [{ sku: 'SOFA-001' }] });
    expect(c.ctx.focus?.sku).toBe('SOFA-001');
    expect(c.value).toBe('idle');
  });

  it('the caption can carry the SKU too', () => {
    const c = new Convo(s);
    c.send({ type: 'image', ref: 'p.jpg', caption: 'есть такой? арт. BED-12' });
    expect(ofType(c.send({ type: 'readImage.done', text: '' }), 'lookupSku')).toEqual([
      { type: 'lookupSku', sku: 'BED-12' },
    ]);
  });

  it('no SKU → vision description → similar-product search', () => {
    const c = new Convo(s);
    c.send({ type: 'image', ref: 'sofa.jpg' });
    expect(ofType(c.send({ type: 'readImage.done', text: 'no text here' }), 'describeImage')).toEqual([
      { type: 'describeImage', ref: 'sofa.jpg' },
    ]);
    expect(c.value).toEqual({ image: 'describing' });
    const asked = c.send({
      type: 'describeImage.done',
      // the vision port answers with the taxonomy's slugs; a word that is not a slug goes into the query
      description: { category: 'Sofa', color: 'grey', material: 'вельвет в рубчик', style: 'modern' },
    });
    expect(ofType(asked, 'search')[0]?.criteria).toEqual({
      category: 'sofa',
      color: 'grey',
      query: 'вельвет в рубчик',
    });
    expect(c.value).toEqual({ search: 'searching' });
    const found = c.send({ type: 'search.done', items: [product('SOFA-002', 199_000)], total: 1 });
    expect(texts(found)[0]).toBe('Похожие товары (1):');
    // the found criteria stay, so a refinement works afterwards
    expect(c.ctx.criteria).toEqual({ category: 'sofa', color: 'grey', query: 'вельвет в рубчик' });
  });

  it('SKU not in the catalog → description → nothing similar → apology and a manager', () => {
    const c = new Convo(s);
    c.send({ type: 'image', ref: 'x.jpg' });
    c.send({ type: 'readImage.done', text: 'SOFA-999' });
    expect(types(c.send({ type: 'lookupSku.done', sku: 'SOFA-999', product: null }))).toEqual(['describeImage']);
    c.send({ type: 'describeImage.done', description: { category: 'sofa' } });
    const none = c.send({ type: 'search.done', items: [], total: 0 });
    expect(texts(none)).toEqual([s.texts.ru.imageNoMatch]);
    expect(optionIds(none)).toEqual(['m', 'menu']);
  });

  it('no vision provider (description null) or an empty one → apology and a manager', () => {
    for (const description of [null, {}, { style: 'loft' }]) {
      const c = new Convo(s, { channel: 'whatsapp', lang: 'kk' });
      c.send({ type: 'image', ref: 'x.jpg' });
      c.send({ type: 'readImage.done', text: '' });
      const out = c.send({ type: 'describeImage.done', description });
      expect(texts(out)).toEqual([s.texts.kk.imageNoMatch]);
      expect(optionIds(out)).toContain('m');
      expect(c.value).toBe('idle');
    }
  });

  it('OCR down → try the description; vision down → apology', () => {
    const c = new Convo(s);
    c.send({ type: 'image', ref: 'x.jpg' });
    expect(types(c.send({ type: 'effect.failed', effect: 'readImage', reason: 'tesseract crashed' }))).toEqual([
      'describeImage',
    ]);
    expect(texts(c.send({ type: 'effect.failed', effect: 'describeImage', reason: 'no key' }))).toEqual([
      s.texts.ru.imageNoMatch,
    ]);
  });

  it('maps only canonical slugs to criteria', () => {
    expect(criteriaFromDescription({ category: 'tv stand', color: 'walnut', material: 'eco-leather' })).toEqual({
      category: 'tv_stand',
      color: 'walnut',
      material: 'eco_leather',
    });
    expect(criteriaFromDescription({ category: 'диван', color: 'серый' })).toEqual({ query: 'диван серый' });
  });
});
