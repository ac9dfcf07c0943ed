import { cancelAlert, cancelAlertsForConversation, createAlert, listAlerts } from '../../../storage/repos/alerts.ts';
import type { Db } from '../../../storage/repos/common.ts';
import { getProductBySku } from '../../../storage/repos/products.ts';
import type { AlertPort } from '../../runtime/ports.ts';
import type { CityDirectory } from '../cities.ts';
import { UnknownCityError } from '../errors.ts';

/** Price alerts live in the database; creating one twice for the same product is harmless. */
export function alertPort(db: Db, cities: CityDirectory): AlertPort {
  return {
    async create(address, conversationKey, target) {
      const city = await cities.resolve(address.city);
      if (!city) throw new UnknownCityError(address.city);
      const base = { cityId: city.id, channel: address.channel, chatId: address.chatId, conversationKey };
      const { alert } =
        target.kind === 'product'
          ? await createAlert(db, {
              ...base,
              productId: target.productId,
              ...(target.targetPrice !== undefined ? { targetPrice: target.targetPrice } : {}),
            })
          : await createAlert(db, { ...base, criteria: target.criteria });
      return alert.id;
    },
    async cancel(conversationKey, sku) {
      if (!sku) {
        await cancelAlertsForConversation(db, conversationKey);
        return;
      }
      const active = await listAlerts(db, { conversationKey, status: 'active' });
      for (const alert of active) {
        if (!alert.productId) continue;
        const product = await getProductBySku(db, alert.cityId, sku.toUpperCase());
        if (product?.id === alert.productId) await cancelAlert(db, alert.id, conversationKey);
      }
    },
  };
}
