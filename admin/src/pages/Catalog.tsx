import { For, Show, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { Category, MergeResult } from '../api/types.ts';
import { AttributesEditor } from '../components/AttributesEditor.tsx';
import { ErrorBox, Modal } from '../components/ui.tsx';
import { toast, toastError } from '../components/Toast.tsx';
import { formatNumber, t } from '../i18n.ts';
import { categoryOptions, nameOf, splitWords, useCategories } from '../lib/taxonomy.ts';
import { ROLE_SETS } from '../nav.ts';
import { hasRole } from '../session.ts';

type Draft = { ru: string; kk: string; en: string; parent: string; synonyms: string };
const blank = (): Draft => ({ ru: '', kk: '', en: '', parent: '', synonyms: '' });
const toDraft = (c: Category): Draft => ({
  ru: c.names.ru,
  kk: c.names.kk ?? '',
  en: c.names.en ?? '',
  parent: c.parent ?? '',
  synonyms: c.synonyms.join(', '),
});
const fromDraft = (d: Draft) => ({
  names: { ru: d.ru.trim(), ...(d.kk.trim() ? { kk: d.kk.trim() } : {}), ...(d.en.trim() ? { en: d.en.trim() } : {}) },
  parent: d.parent || null,
  synonyms: splitWords(d.synonyms),
});

/** The retailer's own catalog structure: the category tree (edit, merge, delete) and the attributes. */
export default function CatalogPage(): JSX.Element {
  const canEdit = () => hasRole(ROLE_SETS.admins);
  const [tab, setTab] = createSignal<'categories' | 'attributes'>('categories');
  const [categories, { refetch }] = useCategories();
  const [editing, setEditing] = createSignal<Category | 'new'>();
  const [draft, setDraft] = createStore<Draft>(blank());
  const [error, setError] = createSignal<unknown>();
  const [merging, setMerging] = createSignal<{ from: string; into: string; confirm: boolean }>();

  const bySlug = (slug: string) => categories()?.find((c) => c.slug === slug);
  const open = (c: Category | 'new') => {
    setError(undefined);
    setDraft(c === 'new' ? blank() : toDraft(c));
    setEditing(c);
  };
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    const target = editing();
    try {
      if (target === 'new') await api.post('/categories', fromDraft(draft));
      else if (target) await api.patch(`/categories/${target.slug}`, fromDraft(draft));
      setEditing(undefined);
      toast(t('common.saved'));
      void refetch();
    } catch (err) {
      setError(err);
    }
  };
  const remove = async (c: Category) => {
    if (!confirm(t('catalog.confirmDeleteCategory', { name: nameOf(c.names) }))) return;
    try {
      await api.del(`/categories/${c.slug}`);
      toast(t('catalog.deleted'));
      void refetch();
    } catch (err) {
      toastError(err);
    }
  };
  const merge = async () => {
    const m = merging();
    if (!m) return;
    try {
      const { merged } = await api.post<{ merged: MergeResult }>('/categories/merge', { from: m.from, into: m.into });
      setMerging(undefined);
      toast(
        t('catalog.merged', {
          products: formatNumber(merged.products),
          conversations: formatNumber(merged.conversations?.conversations ?? 0),
        }),
      );
      void refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.catalog')}</h1>
        <div class="spacer" />
        <button class="btn" classList={{ primary: tab() === 'categories' }} onClick={() => setTab('categories')}>
          {t('catalog.categories')}
        </button>
        <button
          class="btn"
          classList={{ primary: tab() === 'attributes' }}
          data-testid="catalog-attributes-tab"
          onClick={() => setTab('attributes')}
        >
          {t('catalog.attributes')}
        </button>
      </div>
      <p class="muted small">{t('catalog.intro')}</p>
      <Show when={tab() === 'categories'} fallback={<AttributesEditor canEdit={canEdit()} />}>
        <Show when={canEdit()}>
          <div class="row" style={{ 'margin-bottom': '12px' }}>
            <button class="btn primary" data-testid="category-new" onClick={() => open('new')}>
              + {t('catalog.newCategory')}
            </button>
            <button
              class="btn"
              data-testid="category-merge-open"
              onClick={() => {
                setError(undefined);
                setMerging({ from: '', into: '', confirm: false });
              }}
            >
              {t('catalog.merge')}…
            </button>
          </div>
        </Show>
        <ErrorBox error={categories.error} />
        <div class="card flush table-wrap">
          <table class="table" data-testid="categories-table">
            <thead>
              <tr>
                <th>{t('cities.name')}</th>
                <th class="hide-sm">slug</th>
                <th class="hide-sm">{t('catalog.synonyms')}</th>
                <th class="right" title={t('catalog.productsHint')}>
                  {t('catalog.products')}
                </th>
                <Show when={canEdit()}>
                  <th />
                </Show>
              </tr>
            </thead>
            <tbody>
              <For each={categories() ?? []}>
                {(c) => (
                  <tr data-testid="category-row" data-slug={c.slug}>
                    <td style={{ 'padding-left': `${12 + c.depth * 20}px` }}>
                      <b>{nameOf(c.names)}</b>
                      <div class="muted small">{[c.names.kk, c.names.en].filter(Boolean).join(' · ')}</div>
                    </td>
                    <td class="mono hide-sm">{c.slug}</td>
                    <td class="small hide-sm">{c.synonyms.join(', ')}</td>
                    <td class="right nowrap" data-testid="category-products">
                      {c.products}
                      <Show when={c.total !== c.products}>
                        <span class="muted"> / {c.total}</span>
                      </Show>
                    </td>
                    <Show when={canEdit()}>
                      <td class="nowrap right">
                        <button class="btn sm" data-testid="category-edit" onClick={() => open(c)}>
                          {t('common.edit')}
                        </button>{' '}
                        <button
                          class="btn sm"
                          data-testid="category-merge"
                          onClick={() => {
                            setError(undefined);
                            setMerging({ from: c.slug, into: '', confirm: false });
                          }}
                        >
                          {t('catalog.merge')}
                        </button>{' '}
                        <button class="btn sm danger" data-testid="category-delete" onClick={() => remove(c)}>
                          {t('common.delete')}
                        </button>
                      </td>
                    </Show>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
      </Show>

      <Show when={editing()}>
        <Modal
          title={editing() === 'new' ? t('catalog.newCategory') : t('catalog.editCategory')}
          onClose={() => setEditing(undefined)}
          testid="category-form"
        >
          <form class="stack" onSubmit={save}>
            <div class="form-grid">
              <label class="field">
                {t('catalog.nameRu')}
                <input required name="ru" value={draft.ru} onInput={(e) => setDraft('ru', e.currentTarget.value)} />
              </label>
              <label class="field">
                {t('catalog.nameKk')}
                <input name="kk" value={draft.kk} onInput={(e) => setDraft('kk', e.currentTarget.value)} />
              </label>
              <label class="field">
                {t('catalog.nameEn')}
                <input name="en" value={draft.en} onInput={(e) => setDraft('en', e.currentTarget.value)} />
              </label>
              <label class="field">
                {t('catalog.parent')}
                <select name="parent" value={draft.parent} onChange={(e) => setDraft('parent', e.currentTarget.value)}>
                  <option value="">{t('catalog.topLevel')}</option>
                  <For each={categoryOptions(categories())}>{(o) => <option value={o.value}>{o.label}</option>}</For>
                </select>
              </label>
            </div>
            <label class="field">
              {t('catalog.synonyms')}
              <textarea
                name="synonyms"
                rows="2"
                value={draft.synonyms}
                onInput={(e) => setDraft('synonyms', e.currentTarget.value)}
              />
              <span class="muted small">{t('catalog.synonymsHint')}</span>
            </label>
            <ErrorBox error={error()} />
            <div class="row" style={{ 'justify-content': 'flex-end' }}>
              <button type="button" class="btn" onClick={() => setEditing(undefined)}>
                {t('common.cancel')}
              </button>
              <button type="submit" class="btn primary" data-testid="category-save">
                {t('common.save')}
              </button>
            </div>
          </form>
        </Modal>
      </Show>

      <Show when={merging()}>
        {(m) => (
          <Modal title={t('catalog.mergeTitle')} onClose={() => setMerging(undefined)} testid="merge-dialog">
            <div class="stack">
              <Show
                when={m().confirm}
                fallback={
                  <div class="form-grid">
                    <label class="field">
                      {t('catalog.mergeFrom')}
                      <select
                        name="from"
                        value={m().from}
                        onChange={(e) => setMerging({ ...m(), from: e.currentTarget.value })}
                      >
                        <option value="">—</option>
                        <For each={categoryOptions(categories())}>
                          {(o) => <option value={o.value}>{o.label}</option>}
                        </For>
                      </select>
                    </label>
                    <label class="field">
                      {t('catalog.mergeInto')}
                      <select
                        name="into"
                        value={m().into}
                        onChange={(e) => setMerging({ ...m(), into: e.currentTarget.value })}
                      >
                        <option value="">—</option>
                        <For each={categoryOptions(categories()).filter((o) => o.value !== m().from)}>
                          {(o) => <option value={o.value}>{o.label}</option>}
                        </For>
                      </select>
                    </label>
                  </div>
                }
              >
                <div class="alert" data-testid="merge-warning">
                  {t('catalog.mergeConfirm', {
                    from: nameOf(bySlug(m().from)!.names),
                    into: nameOf(bySlug(m().into)!.names),
                    n: formatNumber(bySlug(m().from)!.products),
                  })}
                </div>
              </Show>
              <ErrorBox error={error()} />
              <div class="row" style={{ 'justify-content': 'flex-end' }}>
                <button type="button" class="btn" onClick={() => setMerging(undefined)}>
                  {t('common.cancel')}
                </button>
                <Show
                  when={m().confirm}
                  fallback={
                    <button
                      class="btn primary"
                      data-testid="merge-next"
                      disabled={!m().from || !m().into || m().from === m().into}
                      onClick={() => setMerging({ ...m(), confirm: true })}
                    >
                      {t('catalog.merge')}…
                    </button>
                  }
                >
                  <button class="btn danger" data-testid="merge-confirm" onClick={merge}>
                    {t('catalog.mergeRun')}
                  </button>
                </Show>
              </div>
            </div>
          </Modal>
        )}
      </Show>
    </>
  );
}
