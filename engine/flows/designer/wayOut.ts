import { LANGS } from '../../catalog.ts';
import type { Kit } from '../../machine/kit.ts';
import { labelWords } from '../../machine/read.ts';

/**
 * The words that leave a designer question however it was asked: cancel («отмена», «бас тарту»,
 * «cancel») or call a manager. Typed, they are whole messages, compared as words (case, ё,
 * emoji and punctuation aside) — so «отмена» cancels and «отмена заказа» is an answer. The
 * scenario's own button labels (`btnCancel`, `btnManager`) count too, as WhatsApp shoppers type them.
 */
const CANCEL_WORDS = [
  'отмена',
  'отменить',
  'отмени',
  'стоп',
  'выход',
  'бас тарту',
  'болдырмау',
  'тоқтату',
  'тоқта',
  'cancel',
  'stop',
  'quit',
];
const MANAGER_WORDS = [
  'менеджер',
  'оператор',
  'позовите менеджера',
  'позови менеджера',
  'нужен менеджер',
  'менеджерді шақыр',
  'менеджер шақыру',
  'manager',
  'human',
  'operator',
  'talk to a human',
];

const labels = (k: Kit, key: 'btnCancel' | 'btnManager') =>
  LANGS.map((lang) => labelWords(k.s.texts[lang]?.[key] ?? '')).filter((w) => w !== '');

export const cancelWords = (k: Kit) => [...new Set([...CANCEL_WORDS, ...labels(k, 'btnCancel')])];
export const managerWords = (k: Kit) => [...new Set([...MANAGER_WORDS, ...labels(k, 'btnManager')])];
