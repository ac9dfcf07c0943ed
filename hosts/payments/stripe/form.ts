/**
 * Stripe's API takes `application/x-www-form-urlencoded` bodies with nested keys written in
 * brackets: `line_items[0][price_data][currency]=kzt`, `metadata[order_id]=…`.
 */
export type FormValue = string | number | boolean | undefined | FormValue[] | { [key: string]: FormValue };

export function stripeForm(params: Record<string, FormValue>): string {
  const pairs: string[] = [];
  const add = (key: string, value: FormValue) => {
    if (value === undefined) return;
    if (Array.isArray(value)) value.forEach((item, i) => add(`${key}[${i}]`, item));
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${key}[${k}]`, v);
    else pairs.push(`${encodeURIComponent(key)}=${encodeURIComponent(String(value))}`);
  };
  for (const [key, value] of Object.entries(params)) add(key, value);
  return pairs.join('&');
}
