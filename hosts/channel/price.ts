import { formatPrice } from '../../engine/catalog.ts';
import type { ProductItem } from '../../engine/replies.ts';
import type { ChannelTexts } from '../../engine/scenario/channelTexts.ts';

/** «249 990 ₸ (было 299 990 ₸)» while the price is below the one it fell from, else just the price */
export function priceWithWas(item: Pick<ProductItem, 'price' | 'currency' | 'oldPrice'>, texts: ChannelTexts): string {
  const price = formatPrice(item.price, item.currency);
  return item.oldPrice !== undefined && item.oldPrice > item.price
    ? `${price} (${texts.channelWasPrice} ${formatPrice(item.oldPrice, item.currency)})`
    : price;
}
