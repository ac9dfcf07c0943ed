import { sql } from 'kysely';
import { inTransaction, json, type Db } from '../repos/common.ts';
import { ancestorsOf, lockTree } from './categories.ts';
import { renameCategoryInConversations, type ConversationRewrite, type ConversationState } from './conversations.ts';
import { TaxonomyError } from './errors.ts';
import { loadTaxonomy, names } from './load.ts';
import { TermIndex } from './terms.ts';
import { cleanSynonyms, namesOf } from './words.ts';

export type MergeResult = {
  from: string;
  into: string;
  /** products moved from `from` to `into` (every city) */
  products: number;
  /** subcategories of `from` now under `into` */
  children: number;
  /** saved search alerts whose criteria now name `into` */
  alerts: number;
  /** persisted conversations and preferences rewritten after the commit (absent without a state backend) */
  conversations?: ConversationRewrite;
};

/**
 * Merges category `from` into `into` in one transaction: its products, subcategories and saved
 * alert criteria move to `into`, its names and synonyms become synonyms of `into` (so the words
 * shoppers and spreadsheets use for it keep working), its 1C group id goes to `into` when `into`
 * has none (so the next exchange files the group's goods there), and `from` is deleted. Then, with
 * `state`, what persisted conversations remember is rewritten the same way (conversations.ts).
 */
export async function mergeCategories(
  db: Db,
  change: { from: string; into: string },
  opts: { state?: ConversationState } = {},
): Promise<MergeResult> {
  const { from, into } = change;
  if (from === into) throw new TaxonomyError('invalid', 'a category cannot be merged into itself');
  const moved = await inTransaction(db, async (tx) => {
    await lockTree(tx);
    const source = await tx.selectFrom('categories').selectAll().where('slug', '=', from).executeTakeFirst();
    const target = await tx.selectFrom('categories').selectAll().where('slug', '=', into).executeTakeFirst();
    if (!source) throw new TaxonomyError('not_found', `no category "${from}"`);
    if (!target) throw new TaxonomyError('not_found', `no category "${into}"`);

    // `into` inside `from`: lift it to `from`'s place first, or its new children would be its ancestors
    if ((await ancestorsOf(tx, into)).includes(from))
      await tx.updateTable('categories').set({ parent_slug: source.parent_slug }).where('slug', '=', into).execute();
    const children = await tx
      .updateTable('categories')
      .set({ parent_slug: into, updated_at: new Date() })
      .where('parent_slug', '=', from)
      .executeTakeFirst();
    const products = await tx
      .updateTable('products')
      .set({ category: into, updated_at: new Date() })
      .where('category', '=', from)
      .executeTakeFirst();
    const alerts = await sql`UPDATE price_alerts
      SET criteria = jsonb_set(criteria, '{category}', to_jsonb(${into}::text)), updated_at = now()
      WHERE criteria->>'category' = ${from}`.execute(tx);
    // «кровати для детей»: the audience a saved search is for moves too
    const audiences = await sql`UPDATE price_alerts
      SET criteria = jsonb_set(criteria, '{audience}', to_jsonb(${into}::text)), updated_at = now()
      WHERE criteria->>'audience' = ${from}`.execute(tx);

    const synonyms = cleanSynonyms(
      [...target.synonyms, ...namesOf(names(source)), ...source.synonyms],
      namesOf(names(target)),
    );
    await tx.deleteFrom('categories').where('slug', '=', from).execute();
    await tx
      .updateTable('categories')
      .set({
        synonyms: json(synonyms),
        ...(target.external_id === null && source.external_id !== null ? { external_id: source.external_id } : {}),
        updated_at: new Date(),
      })
      .where('slug', '=', into)
      .execute();
    await refreshKeywords(tx, into);
    return {
      from,
      into,
      products: Number(products.numUpdatedRows),
      children: Number(children.numUpdatedRows),
      alerts: Number(alerts.numAffectedRows ?? 0) + Number(audiences.numAffectedRows ?? 0),
    };
  });
  if (!opts.state) return moved;
  return { ...moved, conversations: await renameCategoryInConversations(opts.state, change) };
}

/** the words `category`'s products are found by, now that it has more names */
async function refreshKeywords(tx: Db, category: string): Promise<void> {
  const terms = new TermIndex(await loadTaxonomy(tx));
  const rows = await tx
    .selectFrom('products')
    .select(['id', 'category', 'color', 'material'])
    .where('category', '=', category)
    .execute();
  for (let start = 0; start < rows.length; start += 500) {
    const batch = rows.slice(start, start + 500).map((r) => ({ id: r.id, words: terms.keywords(r) }));
    const values = sql.join(batch.map((b) => sql`(${b.id}::uuid, ${b.words})`));
    await sql`UPDATE products SET search_keywords = v.words
      FROM (VALUES ${values}) AS v(id, words) WHERE products.id = v.id`.execute(tx);
  }
}
