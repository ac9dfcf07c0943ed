import { describe, expect, it } from 'vitest';
import { demoVocabulary } from '../testing/demoTaxonomy.ts';
import type { DesignerIntents } from './designer.ts';
import { understandText } from './index.ts';

const INTENTS: DesignerIntents = {
  call_measurer: {
    examples: {
      ru: ['вызвать замерщика', 'нужен замер комнаты'],
      kk: ['өлшеушіні шақыру'],
      en: ['book a measurer'],
    },
    keywords: { ru: ['замерщик', 'замер'] },
  },
  installment: {
    examples: { ru: ['есть рассрочка?', 'Kaspi Red принимаете?'], kk: ['бөліп төлеуге бола ма'], en: ['installments'] },
  },
  assembly_help: {
    examples: { ru: ['помощь со сборкой'], kk: ['жинап беру'], en: ['assembly help'] },
  },
};

const meaning = (text: string, intents: DesignerIntents = INTENTS, lang: 'ru' | 'kk' | 'en' = 'ru') => {
  const { intent } = understandText(text, { lang, intents }, demoVocabulary());
  return intent.name === 'designer' ? intent.args.intent : intent.name;
};

describe('designer intents in the rules brain', () => {
  it('inflections, plurals and the verbs beside a noun', () => {
    expect(meaning('замерщику позвонить можно?')).toBe('call_measurer');
    expect(meaning('нужны замеры')).toBe('call_measurer');
    expect(meaning('замерьте комнату')).toBe('call_measurer');
    expect(meaning('в рассрочку можно?')).toBe('installment');
    expect(meaning('do you offer an installment')).toBe('installment');
  });

  it('typos', () => {
    expect(meaning('нужен замершик')).toBe('call_measurer');
    expect(meaning('расрочка есть?')).toBe('installment');
  });

  it('Kazakh suffixes and Kazakh typed without Kazakh letters', () => {
    expect(meaning('өлшеушіге хабарласуға бола ма', INTENTS, 'kk')).toBe('call_measurer');
    expect(meaning('бөліп төлеу бар ма', INTENTS, 'kk')).toBe('installment');
    expect(meaning('болип толеуге бола ма', INTENTS, 'kk')).toBe('installment');
  });

  it('Latin and Cyrillic spellings of the same word', () => {
    expect(meaning('rassrochka est?')).toBe('installment');
    expect(meaning('через каспи ред')).toBe('installment');
    expect(meaning('zamershik nuzhen')).toBe('call_measurer');
  });

  it('built-in intents win ties', () => {
    // a command before designer intents
    expect(meaning('менеджера позовите по замеру')).toBe('escalate_to_manager');
    // «помощь» is the built-in help's word: alone it is help, with the designer's own word it is the designer's
    expect(meaning('помощь')).toBe('help');
    expect(meaning('нужна помощь')).toBe('help');
    expect(meaning('помощь со сборкой')).toBe('assembly_help');
    expect(meaning('спасибо')).toBe('thanks');
    expect(meaning('меню')).toBe('menu');
  });

  it('a designer intent wins over a search around it, and search stays search without its words', () => {
    expect(meaning('диван в рассрочку')).toBe('installment');
    expect(meaning('синий диван')).toBe('search_products');
    // «ред» of «каспи ред» is also the catalog's colour "red": a catalog word alone is the search's
    const kaspi: DesignerIntents = { installment: { examples: { ru: ['каспи ред'], kk: ['каспи'], en: ['kaspi'] } } };
    expect(meaning('do you have a red sofa?', kaspi, 'en')).toBe('search_products');
    expect(meaning('каспи ред есть?', kaspi)).toBe('installment');
  });

  it('between designer intents the earlier wins a tie', () => {
    const same = { examples: { ru: ['доставка'], kk: ['жеткізу'], en: ['delivery'] } };
    expect(meaning('доставка есть?', { a: same, b: same })).toBe('a');
    expect(meaning('доставка есть?', { b: same, a: same })).toBe('b');
  });

  it('half an example is enough, less is not; words two intents share count less', () => {
    const intents: DesignerIntents = {
      fabric: { examples: { ru: ['заказать образец ткани'], kk: ['мата үлгісі'], en: ['fabric sample'] } },
      sample_sofa: { examples: { ru: ['образец дивана в салоне'], kk: ['үлгі'], en: ['showroom sample'] } },
    };
    // «заказать» is a filler word; «образец» is shared, so «ткани» decides
    expect(meaning('образец ткани пришлите', intents)).toBe('fabric');
    expect(meaning('вызовите такси', INTENTS)).toBe('unknown');
  });

  it('no intents, or intents the message does not touch, leave the built-in answer as it was', () => {
    for (const text of ['покажи красный диван до 100к', 'привет', 'позовите менеджера', 'ещё']) {
      const before = understandText(text, { lang: 'ru' }, demoVocabulary());
      expect(understandText(text, { lang: 'ru', intents: INTENTS }, demoVocabulary())).toEqual(before);
    }
  });

  it('a message of only filler or symbols is no designer intent', () => {
    expect(meaning('а можно?')).toBe('unknown');
    expect(meaning('???')).toBe('unknown');
  });
});
