import { createSignal } from 'solid-js';
import { en } from './i18n/en.ts';
import { ru } from './i18n/ru.ts';

/** Two languages, one dictionary shape: Russian must define every English key (checked by tsc). */
export type Lang = 'en' | 'ru';
export type MessageKey = keyof typeof en;
const dictionaries: Record<Lang, Record<MessageKey, string>> = { en, ru };

const STORAGE_KEY = 'zeta.lang';

function initialLang(): Lang {
  try {
    const saved = localStorage.getItem(STORAGE_KEY);
    if (saved === 'en' || saved === 'ru') return saved;
  } catch {
    /* storage may be blocked */
  }
  return typeof navigator !== 'undefined' && navigator.language.toLowerCase().startsWith('ru') ? 'ru' : 'en';
}

const [lang, setLangSignal] = createSignal<Lang>(initialLang());
export { lang };

export function setLang(next: Lang): void {
  setLangSignal(next);
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* ignore */
  }
  document.documentElement.lang = next;
}

/** `t('products.count', { n: 3 })` — `{n}` placeholders are filled in */
export function t(key: MessageKey, params?: Record<string, string | number>): string {
  const text = dictionaries[lang()][key] ?? en[key] ?? key;
  return params ? text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m)) : text;
}

export function formatNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(lang() === 'ru' ? 'ru-RU' : 'en-US', { maximumFractionDigits: digits }).format(n);
}

export function formatDateTime(iso: string | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return new Intl.DateTimeFormat(lang() === 'ru' ? 'ru-RU' : 'en-GB', {
    dateStyle: 'short',
    timeStyle: 'short',
  }).format(d);
}

export function formatMoney(amount: number, currency = 'KZT'): string {
  const whole = Math.round(amount);
  const grouped = String(Math.abs(whole)).replace(/\B(?=(\d{3})+(?!\d))/g, ' ');
  return `${whole < 0 ? '-' : ''}${grouped} ${currency === 'KZT' ? '₸' : currency}`;
}
