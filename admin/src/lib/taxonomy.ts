import { createResource } from 'solid-js';
import { api } from '../api/client.ts';
import type { Attribute, Category, Names } from '../api/types.ts';
import { lang } from '../i18n.ts';

/** The retailer's taxonomy as pages read it: the category tree and the attributes, one request each. */
export async function fetchCategories(city?: string): Promise<Category[]> {
  return (await api.get<{ items: Category[] }>('/categories', city ? { city } : {})).items;
}
export async function fetchAttributes(): Promise<Attribute[]> {
  return (await api.get<{ items: Attribute[] }>('/attributes')).items;
}

export function useCategories(city?: () => string | undefined) {
  return city ? createResource(city, (c) => fetchCategories(c || undefined)) : createResource(() => fetchCategories());
}
export function useAttributes() {
  return createResource(fetchAttributes);
}

/** a name in the panel's language, else Russian (the one every term has) */
export const nameOf = (names: Names): string => (lang() === 'en' && names.en ? names.en : names.ru);

export type Option = { value: string; label: string };

/** categories for a <select>: the tree indented, children after their parent */
export function categoryOptions(categories: readonly Category[] | undefined): Option[] {
  return (categories ?? []).map((c) => ({
    value: c.slug,
    label: `${'\u00a0\u00a0'.repeat(c.depth)}${nameOf(c.names)}`,
  }));
}

/** the values of an enumerated attribute (colour, material, …) for a <select> */
export function valueOptions(attributes: readonly Attribute[] | undefined, key: string): Option[] {
  const attribute = attributes?.find((a) => a.key === key);
  return attribute?.kind === 'enum' ? attribute.values.map((v) => ({ value: v.value, label: nameOf(v.names) })) : [];
}

/** «диван, софа» → ['диван', 'софа']; commas or new lines separate synonyms */
export const splitWords = (text: string): string[] =>
  text
    .split(/[,\n]/)
    .map((w) => w.trim())
    .filter(Boolean);
