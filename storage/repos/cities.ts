import { json, type Db } from './common.ts';
import type { CityRow } from '../db/types.ts';
import { readCityCheckout, type CityCheckout } from './cityCheckout.ts';

export type City = {
  id: string;
  name: string;
  slug: string;
  timezone: string;
  currency: string;
  language: string;
  isActive: boolean;
  createdAt: string;
  updatedAt: string;
  /** managers' working hours on the city's clock (`mon-fri 09:00-20:00; sat 10:00-18:00`); absent: always */
  managerHours?: string;
  /** pickup stores and payment on receipt */
  checkout: CityCheckout;
};
export type NewCity = {
  name: string;
  slug: string;
  timezone?: string;
  currency?: string;
  language?: string;
  isActive?: boolean;
  managerHours?: string | null;
  checkout?: CityCheckout;
};

export const toCity = (r: CityRow): City => ({
  id: r.id,
  name: r.name,
  slug: r.slug,
  timezone: r.timezone,
  currency: r.currency,
  language: r.language,
  isActive: r.is_active,
  createdAt: r.created_at.toISOString(),
  updatedAt: r.updated_at.toISOString(),
  ...(r.manager_hours ? { managerHours: r.manager_hours } : {}),
  checkout: readCityCheckout(r.checkout),
});

export async function listCities(db: Db, opts: { activeOnly?: boolean } = {}): Promise<City[]> {
  let q = db.selectFrom('cities').selectAll().orderBy('name');
  if (opts.activeOnly) q = q.where('is_active', '=', true);
  return (await q.execute()).map(toCity);
}

export async function getCity(db: Db, id: string): Promise<City | undefined> {
  const row = await db.selectFrom('cities').selectAll().where('id', '=', id).executeTakeFirst();
  return row && toCity(row);
}

export async function getCityBySlug(db: Db, slug: string): Promise<City | undefined> {
  const row = await db.selectFrom('cities').selectAll().where('slug', '=', slug.toLowerCase()).executeTakeFirst();
  return row && toCity(row);
}

export async function createCity(db: Db, city: NewCity): Promise<City> {
  const row = await db
    .insertInto('cities')
    .values({
      name: city.name,
      slug: city.slug.toLowerCase(),
      timezone: city.timezone ?? 'Asia/Almaty',
      currency: city.currency ?? 'KZT',
      language: city.language ?? 'ru',
      is_active: city.isActive ?? true,
      manager_hours: city.managerHours || null,
      ...(city.checkout ? { checkout: json(city.checkout) } : {}),
    })
    .returningAll()
    .executeTakeFirstOrThrow();
  return toCity(row);
}

export async function updateCity(db: Db, id: string, patch: Partial<NewCity>): Promise<City | undefined> {
  const row = await db
    .updateTable('cities')
    .set({
      ...(patch.name !== undefined ? { name: patch.name } : {}),
      ...(patch.slug !== undefined ? { slug: patch.slug.toLowerCase() } : {}),
      ...(patch.timezone !== undefined ? { timezone: patch.timezone } : {}),
      ...(patch.currency !== undefined ? { currency: patch.currency } : {}),
      ...(patch.language !== undefined ? { language: patch.language } : {}),
      ...(patch.isActive !== undefined ? { is_active: patch.isActive } : {}),
      ...(patch.managerHours !== undefined ? { manager_hours: patch.managerHours || null } : {}),
      ...(patch.checkout !== undefined ? { checkout: json(patch.checkout) } : {}),
      updated_at: new Date(),
    })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirst();
  return row && toCity(row);
}
