import type { Db } from '../../repos/common.ts';
import { slugFromName } from '../../taxonomy/index.ts';
import { Adoptable } from './adopt.ts';
import { allStaged, nameKey, type Scope } from './staged.ts';

/**
 * 1C groups (`Классификатор/Группы`, nested) become the category tree. A group is found by its
 * Ид; a group seen for the first time takes over a category of the same name that no group owns
 * yet (the seed's «Диваны» stays `sofa`, with everything the bot already knows about it), and
 * otherwise becomes a new category with a slug spelled from its name.
 */
export type GroupCounts = { created: number; updated: number };

export async function applyGroups(tx: Db, scope: Scope): Promise<GroupCounts> {
  const groups = await allStaged(tx, scope, 'group');
  const counts: GroupCounts = { created: 0, updated: 0 };
  if (groups.length === 0) return counts;
  const rows = await tx
    .selectFrom('categories')
    .select(['slug', 'name_ru', 'name_kk', 'name_en', 'synonyms', 'external_id'])
    .execute();
  const byExternal = new Map(rows.filter((r) => r.external_id).map((r) => [r.external_id!, r.slug]));
  const slugs = new Set(rows.map((r) => r.slug));
  const unowned = new Adoptable();
  for (const r of rows) if (!r.external_id) unowned.add(r.slug, [r.name_ru, r.name_kk, r.name_en], r.synonyms);
  const now = new Date();
  for (const group of groups) {
    const parent = group.parent ? (byExternal.get(group.parent) ?? null) : null;
    const known = byExternal.get(group.id);
    if (known) {
      await tx
        .updateTable('categories')
        .set({
          name_ru: group.name,
          parent_slug: parent === known ? null : parent,
          position: group.position,
          updated_at: now,
        })
        .where('slug', '=', known)
        .execute();
      counts.updated++;
      continue;
    }
    const adopted = unowned.take(group.name);
    if (adopted) {
      const before = rows.find((r) => r.slug === adopted)!;
      await tx
        .updateTable('categories')
        .set({
          external_id: group.id,
          // 1C names what it owns; the name the bot knew stays a synonym
          name_ru: group.name,
          synonyms: JSON.stringify(keepName(before.synonyms, before.name_ru, group.name)),
          parent_slug: parent === adopted ? null : parent,
          position: group.position,
          updated_at: now,
        })
        .where('slug', '=', adopted)
        .execute();
      byExternal.set(group.id, adopted);
      counts.updated++;
      continue;
    }
    const slug = freeSlug(slugFromName(group.name), slugs);
    await tx
      .insertInto('categories')
      .values({ slug, name_ru: group.name, parent_slug: parent, external_id: group.id, position: group.position })
      .execute();
    slugs.add(slug);
    byExternal.set(group.id, slug);
    counts.created++;
  }
  return counts;
}

/** `synonyms` with the term's old name kept among them when a new name replaces it */
export function keepName(synonyms: readonly string[], oldName: string, newName: string): string[] {
  if (nameKey(oldName) === nameKey(newName) || synonyms.some((w) => nameKey(w) === nameKey(oldName)))
    return [...synonyms];
  return [...synonyms, oldName];
}

/** `base`, or `base-2`, `base-3`, … — the first one not taken, within 64 characters */
export function freeSlug(base: string, taken: ReadonlySet<string>): string {
  if (!taken.has(base)) return base;
  for (let n = 2; ; n++) {
    const suffix = `-${n}`;
    const candidate = `${base.slice(0, 64 - suffix.length).replace(/-+$/, '')}${suffix}`;
    if (!taken.has(candidate)) return candidate;
  }
}

/** every category a 1C group owns, by the group's Ид */
export async function categoriesByGroup(tx: Db): Promise<Map<string, string>> {
  const rows = await tx
    .selectFrom('categories')
    .select(['slug', 'external_id'])
    .where('external_id', 'is not', null)
    .execute();
  return new Map(rows.map((r) => [r.external_id!, r.slug]));
}
