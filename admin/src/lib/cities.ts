import { createResource } from 'solid-js';
import { api } from '../api/client.ts';
import type { City } from '../api/types.ts';

/** `GET /api/cities` answers a list or `{items}`; pages share one reader */
export async function fetchCities(): Promise<City[]> {
  const res = await api.get<City[] | { items: City[] }>('/cities');
  return Array.isArray(res) ? res : res.items;
}

export function useCities() {
  return createResource(fetchCities);
}

export function itemsOf<T>(res: T[] | { items: T[]; total?: number }): { items: T[]; total: number } {
  return Array.isArray(res)
    ? { items: res, total: res.length }
    : { items: res.items, total: res.total ?? res.items.length };
}
