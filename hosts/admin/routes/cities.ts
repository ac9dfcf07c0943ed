import * as v from 'valibot';
import { createCity, listCities, updateCity } from '../../../storage/repos/cities.ts';
import { CityCheckoutSchema } from '../../../storage/repos/cityCheckout.ts';
import { isUniqueViolation } from '../../../storage/repos/common.ts';
import { conflict, notFound } from '../http/errors.ts';
import { arr, obj, ref } from '../http/docs.ts';
import type { Api } from '../http/context.ts';
import { param, route, type Route } from '../http/route.ts';
import { qBool } from '../http/validate.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { requireCity } from './lookup.ts';
import { parseHours } from '../../../engine/hours.ts';

const isTimeZone = (tz: string) => {
  try {
    new Intl.DateTimeFormat('en', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
};

const CityFields = {
  name: v.pipe(v.string(), v.trim(), v.minLength(1, 'name is required'), v.maxLength(100)),
  slug: v.pipe(
    v.string(),
    v.trim(),
    v.toLowerCase(),
    v.regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'slug is lower-case latin letters, digits and -'),
  ),
  timezone: v.pipe(v.string(), v.check(isTimeZone, 'timezone must be an IANA zone such as Asia/Almaty')),
  currency: v.pipe(v.string(), v.regex(/^[A-Z]{3}$/, 'currency is a 3-letter ISO code such as KZT')),
  language: v.picklist(['ru', 'kk', 'en'], 'language is one of ru, kk, en'),
  /** null or '' clears: managers always answer */
  managerHours: v.nullable(
    v.pipe(
      v.string(),
      v.trim(),
      v.maxLength(300),
      v.rawCheck(({ dataset, addIssue }) => {
        if (!dataset.typed || dataset.value === '') return;
        const parsed = parseHours(dataset.value);
        if (!parsed.ok) addIssue({ message: `managerHours: ${parsed.error}` });
      }),
    ),
  ),
  /** pickup stores and payment on receipt, replaced whole */
  checkout: CityCheckoutSchema,
};
const CreateBody = v.strictObject({
  ...CityFields,
  timezone: v.optional(CityFields.timezone, 'Asia/Almaty'),
  currency: v.optional(CityFields.currency, 'KZT'),
  language: v.optional(CityFields.language, 'ru'),
  isActive: v.optional(v.boolean()),
  managerHours: v.optional(CityFields.managerHours),
  checkout: v.optional(CityFields.checkout),
});
const UpdateBody = v.pipe(
  v.strictObject({
    name: v.optional(CityFields.name),
    slug: v.optional(CityFields.slug),
    timezone: v.optional(CityFields.timezone),
    currency: v.optional(CityFields.currency),
    language: v.optional(CityFields.language),
    isActive: v.optional(v.boolean()),
    managerHours: v.optional(CityFields.managerHours),
    checkout: v.optional(CityFields.checkout),
  }),
  v.check((p) => Object.keys(p).length > 0, 'nothing to change'),
);

export function cityRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'get',
      path: '/cities',
      roles: ROLE_SETS.anyone,
      tag: 'cities',
      summary: 'List cities',
      query: v.object({ active: qBool() }),
      response: obj({ items: arr(ref('City')) }),
      handler: async (c, { query }) => c.json({ items: await listCities(db, { activeOnly: query.active === true }) }),
    }),
    route({
      method: 'get',
      path: '/cities/:id',
      roles: ROLE_SETS.anyone,
      tag: 'cities',
      summary: 'One city (by id or slug)',
      response: obj({ city: ref('City') }),
      errors: { 404: 'no such city' },
      handler: async (c) => c.json({ city: await requireCity(db, param(c, 'id')) }),
    }),
    route({
      method: 'post',
      path: '/cities',
      roles: ROLE_SETS.admins,
      tag: 'cities',
      summary: 'Create a city',
      body: CreateBody,
      response: obj({ city: ref('City') }),
      responseStatus: 201,
      errors: { 409: 'slug taken' },
      handler: async (c, { body }) => {
        try {
          const city = await createCity(db, body);
          await api.audit(c, { action: 'city.create', entity: 'city', entityId: city.id, after: city });
          await api.reload({ kind: 'city', cityId: city.id });
          return c.json({ city }, 201);
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict(`a city with slug "${body.slug}" exists`);
          throw error;
        }
      },
    }),
    route({
      method: 'put',
      path: '/cities/:id',
      roles: ROLE_SETS.admins,
      tag: 'cities',
      summary: 'Update a city (partial)',
      body: UpdateBody,
      response: obj({ city: ref('City') }),
      errors: { 404: 'no such city', 409: 'slug taken' },
      handler: async (c, { body }) => {
        const before = await requireCity(db, param(c, 'id'));
        try {
          const after = await updateCity(db, before.id, body);
          if (!after) throw notFound('city');
          await api.audit(c, { action: 'city.update', entity: 'city', entityId: before.id, before, after });
          await api.reload({ kind: 'city', cityId: after.id });
          return c.json({ city: after });
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict(`a city with slug "${body.slug}" exists`);
          throw error;
        }
      },
    }),
  ];
}
