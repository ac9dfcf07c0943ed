import iconv from 'iconv-lite';
import { describe, expect, it } from 'vitest';
import { readOrderUpdates } from './readUpdates.ts';
import { statusOf, wantedChange } from './statusMap.ts';
import { encodeDocument } from './xmlText.ts';

/** The pure parts of the orders exchange: 1C's requisites → our steps, and the document's encoding. */
describe('1C requisites → order steps', () => {
  it('reads each signal and orders the steps payment → confirmed → shipped/ready → completed', () => {
    expect(
      wantedChange(
        {
          Проведен: 'true',
          'Дата оплаты по 1С': '2026-12-07T10:00:00',
          'Номер оплаты по 1С': 'ПКО-1',
          'Номер отгрузки по 1С': 'РТУ-9',
        },
        'delivery',
      ),
    ).toEqual({ steps: ['paid', 'confirmed', 'shipped'], payment: { reference: 'ПКО-1@2026-12-07T10:00:00' } });
    expect(wantedChange({ 'Дата отгрузки по 1С': '2026-12-07' }, 'pickup').steps).toEqual(['ready_for_pickup']);
    expect(wantedChange({ 'Финальный статус': 'true' }, 'pickup').steps).toEqual(['completed']);
  });

  it('a date 1C left empty (`T`) is no signal; cancellation wins over everything', () => {
    expect(
      wantedChange({ 'Дата оплаты по 1С': 'T', 'Дата отгрузки по 1С': 'T', Проведен: 'false' }, 'delivery').steps,
    ).toEqual([]);
    expect(wantedChange({ ПометкаУдаления: 'true', Проведен: 'true' }, 'delivery').steps).toEqual(['cancelled']);
    expect(wantedChange({ Отменен: 'true' }, 'delivery').steps).toEqual(['cancelled']);
  });

  it('«Статус заказа» by 1C name, by our id, or unknown (reported, other signals kept)', () => {
    expect(statusOf('К обеспечению')).toBe('confirmed');
    expect(statusOf(' Закрыт ')).toBe('completed');
    expect(statusOf('Отменён')).toBe('cancelled');
    expect(statusOf('ready_for_pickup')).toBe('ready_for_pickup');
    expect(statusOf('Не согласован')).toBe('unchanged');
    expect(wantedChange({ 'Статус заказа': 'Отгружен' }, 'pickup').steps).toEqual(['ready_for_pickup']);
    expect(wantedChange({ 'Статус заказа ИД': 'X7', 'Статус заказа': 'Согласован' }, 'pickup').steps).toEqual([
      'confirmed',
    ]);
    expect(wantedChange({ 'Статус заказа': 'Ждём звёзд', Проведен: 'true' }, 'pickup')).toEqual({
      steps: ['confirmed'],
      unknownStatus: 'Ждём звёзд',
    });
  });
});

describe('the orders document in windows-1251', () => {
  it('keeps Kazakh letters as character references that read back as the same text', async () => {
    const xml =
      '<КоммерческаяИнформация ВерсияСхемы="2.08"><Документ><Ид>1</Ид><Номер>7</Номер><ЗначенияРеквизитов><ЗначениеРеквизита><Наименование>Имя</Наименование><Значение>Айгерім Қасымова ӘҒҢ 😀</Значение></ЗначениеРеквизита></ЗначенияРеквизитов></Документ></КоммерческаяИнформация>';
    const bytes = encodeDocument(xml, 'windows-1251');
    const raw = iconv.decode(bytes, 'win1251');
    expect(raw.startsWith('<?xml version="1.0" encoding="windows-1251"?>')).toBe(true);
    expect(raw).toContain('Айгерім &#1178;асымова &#1240;&#1170;&#1186; &#128512;');
    const [update] = await readOrderUpdates(bytes);
    expect(update!.requisites.Имя).toBe('Айгерім Қасымова ӘҒҢ 😀');
    expect(encodeDocument(xml, 'utf-8').toString('utf8')).toContain('Айгерім Қасымова');
  });

  it('refuses what is not CommerceML', async () => {
    await expect(readOrderUpdates(Buffer.from('<orders/>'))).rejects.toThrow(
      'not a CommerceML file: the root element is <orders>',
    );
    await expect(readOrderUpdates(Buffer.from('<КоммерческаяИнформация/>'))).rejects.toThrow(/ВерсияСхемы/);
    await expect(readOrderUpdates(Buffer.from(''))).rejects.toThrow(/malformed/);
  });
});
