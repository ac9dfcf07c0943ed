import {
  createProduct,
  deleteProduct,
  getProduct,
  updateProduct,
  type ProductInput,
} from '../../../../storage/repos/products.ts';
import { isUniqueViolation } from '../../../../storage/repos/common.ts';
import { conflict, notFound } from '../../http/errors.ts';
import { obj, ref } from '../../http/docs.ts';
import type { Api } from '../../http/context.ts';
import { param, route, type Route } from '../../http/route.ts';
import { ROLE_SETS } from '../../auth/roles.ts';
import { requireCity } from '../lookup.ts';
import { CreateBody, toInput, UpdateBody } from './schemas.ts';
import { checkProductTerms } from '../productTerms.ts';

/** One product: read, create, edit (a price drop notifies shoppers with alerts), delete. Every change reloads the city's catalog. */
export function productItemRoutes(api: Api): Route[] {
  const { db } = api;
  return [
    route({
      method: 'get',
      path: '/products/:id',
      roles: ROLE_SETS.anyone,
      tag: 'products',
      summary: 'One product',
      response: obj({ product: ref('Product') }),
      errors: { 404: 'no such product' },
      handler: async (c) => {
        const product = await getProduct(db, param(c, 'id'));
        if (!product) throw notFound('product');
        return c.json({ product });
      },
    }),
    route({
      method: 'post',
      path: '/products',
      roles: ROLE_SETS.admins,
      tag: 'products',
      summary: 'Create a product',
      body: CreateBody,
      response: obj({ product: ref('Product') }),
      responseStatus: 201,
      errors: { 404: 'unknown city', 409: 'SKU exists in this city' },
      handler: async (c, { body }) => {
        const { city: cityRef, ...fields } = body;
        const city = await requireCity(db, cityRef);
        await checkProductTerms(db, fields);
        let product;
        try {
          product = await createProduct(db, city.id, toInput(fields) as ProductInput);
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict(`SKU ${fields.sku} already exists in ${city.slug}`);
          throw error;
        }
        await api.reload({ kind: 'catalog', cityId: city.id });
        await api.audit(c, { action: 'product.create', entity: 'product', entityId: product.id, after: product });
        return c.json({ product }, 201);
      },
    }),
    route({
      method: 'put',
      path: '/products/:id',
      roles: ROLE_SETS.admins,
      tag: 'products',
      summary: 'Update a product (partial); a price drop notifies shoppers with price alerts',
      body: UpdateBody,
      response: obj({ product: ref('Product'), alertsTriggered: { type: 'integer' } }),
      errors: { 404: 'no such product', 409: 'SKU exists in this city' },
      handler: async (c, { body }) => {
        await checkProductTerms(db, body);
        let changed;
        try {
          changed = await updateProduct(db, param(c, 'id'), toInput(body));
        } catch (error) {
          if (isUniqueViolation(error)) throw conflict(`SKU ${body.sku} already exists in this city`);
          throw error;
        }
        if (!changed) throw notFound('product');
        // before the price-drop notices go out, so a shopper tapping one reads the new price
        await api.reload({ kind: 'catalog', cityId: changed.after.cityId });
        await api.audit(c, {
          action: 'product.update',
          entity: 'product',
          entityId: changed.after.id,
          before: changed.before,
          after: changed.after,
        });
        if (changed.triggeredAlerts.length > 0 && api.deps.onPriceDrop) {
          try {
            await api.deps.onPriceDrop(changed.triggeredAlerts);
          } catch (error) {
            // the periodic sweep retries; the edit itself succeeded
            api.deps.log?.warn({ err: error, productId: changed.after.id }, 'price-drop notification failed');
          }
        }
        return c.json({ product: changed.after, alertsTriggered: changed.triggeredAlerts.length });
      },
    }),
    route({
      method: 'delete',
      path: '/products/:id',
      roles: ROLE_SETS.admins,
      tag: 'products',
      summary: 'Delete a product',
      responseStatus: 204,
      errors: { 404: 'no such product' },
      handler: async (c) => {
        const product = await deleteProduct(db, param(c, 'id'));
        if (!product) throw notFound('product');
        await api.reload({ kind: 'catalog', cityId: product.cityId });
        await api.audit(c, { action: 'product.delete', entity: 'product', entityId: product.id, before: product });
        return c.body(null, 204);
      },
    }),
  ];
}
