import * as v from 'valibot';
import {
  createAttribute,
  createAttributeValue,
  deleteAttribute,
  deleteAttributeValue,
  getAttribute,
  listAttributes,
  updateAttribute,
  updateAttributeValue,
} from '../../../storage/taxonomy/index.ts';
import { notifyCatalogChanged } from '../catalogChanged.ts';
import type { Api } from '../http/context.ts';
import { arr, obj, ref } from '../http/docs.ts';
import { route, type Ctx, type Route } from '../http/route.ts';
import { ROLE_SETS } from '../auth/roles.ts';
import { NamesBody, Position, SlugBody, SynonymsBody, slugParam, taxonomyCall } from './taxonomyFields.ts';

const Unit = v.pipe(v.string(), v.trim(), v.maxLength(20, 'unit is at most 20 characters'));
const ValueBody = v.strictObject({
  value: v.optional(SlugBody),
  names: NamesBody,
  synonyms: v.optional(SynonymsBody),
  position: v.optional(Position),
});
const CreateBody = v.strictObject({
  key: v.optional(SlugBody),
  kind: v.picklist(['enum', 'number', 'text'], 'kind is enum, number or text'),
  names: NamesBody,
  unit: v.optional(v.nullable(Unit)),
  position: v.optional(Position),
  values: v.optional(v.pipe(v.array(ValueBody), v.maxLength(1000))),
});
const nonEmpty = <T extends object>(p: T) => Object.keys(p).length > 0;
const UpdateBody = v.pipe(
  v.strictObject({ names: v.optional(NamesBody), unit: v.optional(v.nullable(Unit)), position: v.optional(Position) }),
  v.check(nonEmpty, 'nothing to change'),
);
const ValueUpdateBody = v.pipe(
  v.strictObject({ names: v.optional(NamesBody), synonyms: v.optional(SynonymsBody), position: v.optional(Position) }),
  v.check(nonEmpty, 'nothing to change'),
);

const keyOf = (c: Ctx) => slugParam(c, 'key', 'attribute');
const valueOf = (c: Ctx) => slugParam(c, 'value', 'value');

export function attributeRoutes(api: Api): Route[] {
  const { db } = api;
  const changed = () => notifyCatalogChanged(api.deps.state.pubsub, { reason: 'edit' }, api.deps.log);
  const audit = async (c: Ctx, action: string, entityId: string, before: unknown, after: unknown) => {
    await api.audit(c, { action, entity: 'attribute', entityId, before, after });
    await changed();
  };
  return [
    route({
      method: 'get',
      path: '/attributes',
      roles: ROLE_SETS.anyone,
      tag: 'taxonomy',
      summary:
        "Product attributes: colour, material and the retailer's own (enumerations with values, numbers with units, text)",
      response: obj({ items: arr(ref('Attribute')) }),
      handler: async (c) => c.json({ items: await listAttributes(db) }),
    }),
    route({
      method: 'post',
      path: '/attributes',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Create an attribute (the key is made from the Russian name when not given)',
      body: CreateBody,
      response: obj({ attribute: ref('Attribute') }),
      responseStatus: 201,
      errors: { 409: 'the key is taken' },
      handler: async (c, { body }) => {
        const attribute = await taxonomyCall(() => createAttribute(db, body));
        await audit(c, 'attribute.create', attribute.key, undefined, attribute);
        return c.json({ attribute }, 201);
      },
    }),
    route({
      method: 'patch',
      path: '/attributes/:key',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: "Rename an attribute or change its unit (its key and kind stay: products' values are read by them)",
      body: UpdateBody,
      response: obj({ attribute: ref('Attribute') }),
      errors: { 404: 'no such attribute' },
      handler: async (c, { body }) => {
        const key = keyOf(c);
        const before = await getAttribute(db, key);
        const attribute = await taxonomyCall(() => updateAttribute(db, key, body));
        await audit(c, 'attribute.update', key, before, attribute);
        return c.json({ attribute });
      },
    }),
    route({
      method: 'delete',
      path: '/attributes/:key',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: "Delete an attribute with its values and every product's value for it (colour and material stay)",
      responseStatus: 204,
      errors: { 400: 'a built-in attribute', 404: 'no such attribute' },
      handler: async (c) => {
        const key = keyOf(c);
        const before = await taxonomyCall(() => deleteAttribute(db, key));
        await audit(c, 'attribute.delete', key, before, undefined);
        return c.body(null, 204);
      },
    }),
    route({
      method: 'post',
      path: '/attributes/:key/values',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Add a value to an enumerated attribute (the slug is made from the Russian name when not given)',
      body: ValueBody,
      response: obj({ value: ref('AttributeValue') }),
      responseStatus: 201,
      errors: { 400: 'not an enumeration', 404: 'no such attribute', 409: 'the value exists' },
      handler: async (c, { body }) => {
        const key = keyOf(c);
        const value = await taxonomyCall(() => createAttributeValue(db, key, body));
        await audit(c, 'attribute.value.create', `${key}:${value.value}`, undefined, value);
        return c.json({ value }, 201);
      },
    }),
    route({
      method: 'patch',
      path: '/attributes/:key/values/:value',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Rename a value or change its synonyms (its slug stays: products hold it)',
      body: ValueUpdateBody,
      response: obj({ value: ref('AttributeValue') }),
      errors: { 404: 'no such attribute or value' },
      handler: async (c, { body }) => {
        const key = keyOf(c);
        const slug = valueOf(c);
        const attribute = await getAttribute(db, key);
        const before = attribute?.kind === 'enum' ? attribute.values.find((x) => x.value === slug) : undefined;
        const value = await taxonomyCall(() => updateAttributeValue(db, key, slug, body));
        await audit(c, 'attribute.value.update', `${key}:${slug}`, before, value);
        return c.json({ value });
      },
    }),
    route({
      method: 'delete',
      path: '/attributes/:key/values/:value',
      roles: ROLE_SETS.admins,
      tag: 'taxonomy',
      summary: 'Delete a value no product holds',
      responseStatus: 204,
      errors: { 404: 'no such attribute or value', 409: 'products hold it' },
      handler: async (c) => {
        const key = keyOf(c);
        const slug = valueOf(c);
        const before = await taxonomyCall(() => deleteAttributeValue(db, key, slug));
        await audit(c, 'attribute.value.delete', `${key}:${slug}`, before, undefined);
        return c.body(null, 204);
      },
    }),
  ];
}
