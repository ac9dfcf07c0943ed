import type { Lang } from '../../engine/catalog.ts';
import type { Reply } from '../../engine/replies.ts';

/** The few words the WhatsApp renderer adds itself (list buttons, default bodies, section titles). */
export type RenderLabels = {
  listButton: string;
  productsBody: string;
  productsSection: string;
  moreSection: string;
  choicesBody: string;
  choicesButton: string;
  optionsBody: string;
  outOfStock: string;
};

export const LABELS: Record<Lang, RenderLabels> = {
  ru: {
    listButton: 'Открыть список',
    productsBody: 'Выберите товар:',
    productsSection: 'Товары',
    moreSection: 'Ещё',
    choicesBody: 'Выберите:',
    choicesButton: 'Выбрать',
    optionsBody: 'Что сделать?',
    outOfStock: 'нет в наличии',
  },
  kk: {
    listButton: 'Тізімді ашу',
    productsBody: 'Тауарды таңдаңыз:',
    productsSection: 'Тауарлар',
    moreSection: 'Тағы',
    choicesBody: 'Таңдаңыз:',
    choicesButton: 'Таңдау',
    optionsBody: 'Не істейміз?',
    outOfStock: 'қоймада жоқ',
  },
  en: {
    listButton: 'Open list',
    productsBody: 'Pick a product:',
    productsSection: 'Products',
    moreSection: 'More',
    choicesBody: 'Choose:',
    choicesButton: 'Choose',
    optionsBody: 'What next?',
    outOfStock: 'out of stock',
  },
};

const KAZAKH = /[әғқңөұүһі]/i;
const CYRILLIC = /[а-яё]/i;

/**
 * The channel port is not told the shopper's language, but the engine's replies are written in
 * it: Kazakh letters → kk, other Cyrillic → ru, otherwise en.
 */
export function guessLang(replies: readonly Reply[]): Lang {
  const text = replies
    .map((r) =>
      r.type === 'text'
        ? r.text
        : r.type === 'choices'
          ? [r.text ?? '', ...r.options.map((o) => o.label)].join(' ')
          : r.type === 'image'
            ? (r.caption ?? '')
            : '',
    )
    .join(' ');
  if (KAZAKH.test(text)) return 'kk';
  if (CYRILLIC.test(text)) return 'ru';
  if (/[a-z]/i.test(text)) return 'en';
  return 'ru';
}
