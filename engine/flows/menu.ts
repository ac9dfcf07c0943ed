import { hasCriteria } from '../context.ts';
import type { Kit } from '../machine/kit.ts';
import type { Ctx } from '../machine/setup.ts';
import type { MenuFlow } from '../scenario/routes.ts';
import type { MenuItem } from '../scenario/schema.ts';

/** The scenario's main menu: a `menu:<id>` button and the item it names. */
export function menuItem(k: Kit, id: string): MenuItem | undefined {
  const key = id.startsWith('menu:') ? id.slice(5) : null;
  return key === null ? undefined : k.s.menu.find((m) => m.id === key);
}

/** what a search menu item looks for, if it names anything */
export function menuSearchCriteria(k: Kit, id: string) {
  const a = menuItem(k, id)?.action;
  if (a?.flow !== 'search') return null;
  const c: NonNullable<Ctx['criteria']> = {};
  if (a.query) c.query = a.query;
  if (a.category) c.category = a.category;
  return hasCriteria(c) ? c : null;
}

/** the menu ids whose item (the first with that id) starts `flow` — and, for search, names what to find */
function menuItems(k: Kit, flow: MenuFlow, withCriteria: boolean) {
  return k.s.menu
    .filter((m, i) => k.s.menu.findIndex((x) => x.id === m.id) === i && m.action.flow === flow)
    .filter((m) => !withCriteria || menuSearchCriteria(k, `menu:${m.id}`) !== null)
    .map((m) => m.id);
}

/** the guard of a menu button that starts `flow`: the item ids go into its params, for the chart */
export const menuFlow = (k: Kit, flow: MenuFlow, withCriteria = false) =>
  ({ type: 'menuItem', params: { flow, items: menuItems(k, flow, withCriteria) } }) as const;
