import { getCity, getCityBySlug, type City } from '../../../storage/repos/cities.ts';
import { isUuid } from '../../../storage/repos/products.ts';
import type { Db } from '../../../storage/repos/common.ts';
import { notFound } from '../http/errors.ts';

/** Cities are addressed by id or slug everywhere (`almaty` is friendlier in a URL than a UUID). */
export async function findCity(db: Db, idOrSlug: string): Promise<City | undefined> {
  return isUuid(idOrSlug) ? getCity(db, idOrSlug) : getCityBySlug(db, idOrSlug);
}

export async function requireCity(db: Db, idOrSlug: string): Promise<City> {
  const city = await findCity(db, idOrSlug);
  if (!city) throw notFound(`city "${idOrSlug}"`);
  return city;
}
