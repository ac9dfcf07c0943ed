import { For, Show, createEffect, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ApiError, api, buildUrl, uploadWithProgress } from '../api/client.ts';
import type { ImportRowError, ImportedTerm, Paged, Product } from '../api/types.ts';
import { ErrorBox, Modal, Pager } from '../components/ui.tsx';
import { toast, toastError } from '../components/Toast.tsx';
import { formatMoney, formatNumber, lang, t } from '../i18n.ts';
import { categoryOptions, useAttributes, useCategories, valueOptions, type Option } from '../lib/taxonomy.ts';
import { itemsOf, useCities } from '../lib/cities.ts';
import { chunkCsv, splitCsv } from '../lib/csv.ts';
import { hasRole } from '../session.ts';
import { ROLE_SETS } from '../nav.ts';

const LIMIT = 20;

/** import errors as the server words them: `{ line, reason }` (storage/import) */
type WireRowError = { line?: number; row?: number; reason?: string; message?: string; field?: string };

/** a taxonomy term by its human name; the value sent is its slug */
function TermSelect(props: {
  options: readonly Option[];
  value: string;
  onChange: (v: string) => void;
  name?: string;
}): JSX.Element {
  return (
    <select name={props.name} value={props.value} onChange={(e) => props.onChange(e.currentTarget.value)}>
      <option value="">—</option>
      <For each={props.options}>{(o) => <option value={o.value}>{o.label}</option>}</For>
    </select>
  );
}

type Draft = {
  sku: string;
  name: string;
  description: string;
  price: string;
  category: string;
  color: string;
  material: string;
  imageUrl: string;
  available: boolean;
};
const emptyDraft = (): Draft => ({
  sku: '',
  name: '',
  description: '',
  price: '',
  category: '',
  color: '',
  material: '',
  imageUrl: '',
  available: true,
});
const toDraft = (p: Product): Draft => ({
  sku: p.sku,
  name: p.name,
  description: p.description ?? '',
  price: String(p.price),
  category: p.category ?? '',
  color: p.color ?? '',
  material: p.material ?? '',
  imageUrl: p.imageUrl ?? '',
  available: p.available,
});
const fromDraft = (d: Draft) => ({
  sku: d.sku.trim().toUpperCase(),
  name: d.name.trim(),
  description: d.description,
  price: Number(d.price.replace(/\s/g, '').replace(',', '.')),
  category: d.category || null,
  color: d.color.trim() || null,
  material: d.material.trim() || null,
  imageUrl: d.imageUrl.trim() || null,
  available: d.available,
});

export default function ProductsPage(): JSX.Element {
  const canEdit = () => hasRole(ROLE_SETS.admins);
  const [cities] = useCities();
  const [categories] = useCategories();
  const [attributes] = useAttributes();
  const categoryList = () => categoryOptions(categories());
  const colorList = () => valueOptions(attributes(), 'color');
  const materialList = () => valueOptions(attributes(), 'material');
  const [filters, setFilters] = createStore({
    q: '',
    cityId: '',
    category: '',
    color: '',
    priceMin: '',
    priceMax: '',
    available: '',
    offset: 0,
  });
  const [search, setSearch] = createSignal('');
  let debounce: ReturnType<typeof setTimeout> | undefined;
  const [products, { refetch }] = createResource(
    () => ({ ...filters, lang: lang() }),
    async (f) =>
      itemsOf(
        await api.get<Paged<Product> | Product[]>('/products', {
          q: f.q,
          city: f.cityId,
          category: f.category,
          color: f.color,
          price_min: f.priceMin,
          price_max: f.priceMax,
          available: f.available,
          lang: f.lang,
          limit: LIMIT,
          offset: f.offset,
        }),
      ),
  );
  createEffect(() => {
    const list = cities();
    if (list && list.length > 0 && !filters.cityId) setFilters('cityId', list[0]!.id);
  });
  const [editing, setEditing] = createSignal<string>();
  const [draft, setDraft] = createStore<Draft>(emptyDraft());
  const [creating, setCreating] = createSignal(false);
  const [importing, setImporting] = createSignal(false);
  const [preview, setPreview] = createSignal<Product>();
  const [formError, setFormError] = createSignal<unknown>();

  const startEdit = (p: Product) => {
    setDraft(toDraft(p));
    setEditing(p.id);
  };
  const saveEdit = async (p: Product) => {
    try {
      await api.put(`/products/${p.id}`, fromDraft(draft));
      setEditing(undefined);
      toast(t('products.saved'));
      void refetch();
    } catch (e) {
      toastError(e);
    }
  };
  const remove = async (p: Product) => {
    if (!confirm(t('products.confirmDelete', { name: p.name }))) return;
    try {
      await api.del(`/products/${p.id}`);
      toast(t('products.deleted'));
      void refetch();
    } catch (e) {
      toastError(e);
    }
  };
  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    setFormError(undefined);
    try {
      await api.post('/products', { city: filters.cityId, ...fromDraft(draft) });
      setCreating(false);
      toast(t('products.created'));
      void refetch();
    } catch (err) {
      setFormError(err);
    }
  };
  const cityOf = (id?: string) => cities()?.find((c) => c.id === id);

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.products')}</h1>
        <div class="spacer" />
        <Show when={canEdit()}>
          <button class="btn" data-testid="import-open" onClick={() => setImporting(true)}>
            {t('products.import')}
          </button>
          <button
            class="btn primary"
            data-testid="product-new"
            onClick={() => {
              setDraft(emptyDraft());
              setFormError(undefined);
              setCreating(true);
            }}
          >
            + {t('products.new')}
          </button>
        </Show>
      </div>
      <div class="card flush">
        <div class="row" style={{ padding: '12px' }}>
          <input
            type="search"
            placeholder={t('products.searchPlaceholder')}
            value={search()}
            data-testid="product-search"
            style={{ flex: '1 1 220px' }}
            onInput={(e) => {
              setSearch(e.currentTarget.value);
              clearTimeout(debounce);
              debounce = setTimeout(() => setFilters({ q: search(), offset: 0 }), 250);
            }}
          />
          <select
            value={filters.cityId}
            onChange={(e) => setFilters({ cityId: e.currentTarget.value, offset: 0 })}
            aria-label={t('common.city')}
            data-testid="product-city"
          >
            <For each={cities() ?? []}>{(c) => <option value={c.id}>{c.name}</option>}</For>
          </select>
          <select
            value={filters.category}
            onChange={(e) => setFilters({ category: e.currentTarget.value, offset: 0 })}
            aria-label={t('products.category')}
          >
            <option value="">{t('products.allCategories')}</option>
            <For each={categoryList()}>{(o) => <option value={o.value}>{o.label}</option>}</For>
          </select>
          <select
            value={filters.color}
            onChange={(e) => setFilters({ color: e.currentTarget.value, offset: 0 })}
            aria-label={t('products.color')}
            class="hide-sm"
          >
            <option value="">{t('products.anyColor')}</option>
            <For each={colorList()}>{(o) => <option value={o.value}>{o.label}</option>}</For>
          </select>
          <input
            type="number"
            min="0"
            step="1000"
            placeholder={t('products.priceFrom')}
            value={filters.priceMin}
            style={{ width: '110px' }}
            class="hide-sm"
            onChange={(e) => setFilters({ priceMin: e.currentTarget.value, offset: 0 })}
            aria-label={t('products.priceFrom')}
          />
          <input
            type="number"
            min="0"
            step="1000"
            placeholder={t('products.priceTo')}
            value={filters.priceMax}
            style={{ width: '110px' }}
            class="hide-sm"
            onChange={(e) => setFilters({ priceMax: e.currentTarget.value, offset: 0 })}
            aria-label={t('products.priceTo')}
          />
          <select
            value={filters.available}
            onChange={(e) => setFilters({ available: e.currentTarget.value, offset: 0 })}
            aria-label={t('products.available')}
          >
            <option value="">{t('products.anyAvailability')}</option>
            <option value="true">{t('products.inStockOnly')}</option>
          </select>
        </div>
        <ErrorBox error={products.error} />
        <div class="table-wrap">
          <table class="table" data-testid="products-table">
            <thead>
              <tr>
                <th />
                <th>SKU</th>
                <th>{t('products.name')}</th>
                <th class="right">{t('products.price')}</th>
                <th class="hide-sm">{t('products.category')}</th>
                <th class="hide-sm">{t('products.color')}</th>
                <th>{t('products.available')}</th>
                <Show when={canEdit()}>
                  <th />
                </Show>
              </tr>
            </thead>
            <tbody>
              <For
                each={products.latest?.items ?? []}
                fallback={
                  <tr>
                    <td colspan="8" class="empty">
                      {products.loading ? t('common.loading') : t('products.none')}
                    </td>
                  </tr>
                }
              >
                {(p) => (
                  <tr data-testid="product-row" data-sku={p.sku}>
                    <td>
                      <Show when={p.imageUrl} fallback={<div class="thumb empty">—</div>}>
                        <img
                          class="thumb"
                          src={p.imageUrl!}
                          alt=""
                          loading="lazy"
                          onClick={() => setPreview(p)}
                          data-testid="product-thumb"
                        />
                      </Show>
                    </td>
                    <Show
                      when={editing() === p.id}
                      fallback={
                        <>
                          <td class="mono nowrap">{p.sku}</td>
                          <td>{p.name}</td>
                          <td class="right nowrap">{formatMoney(p.price, p.currency)}</td>
                          <td class="hide-sm" data-testid="product-category">
                            {p.categoryName ?? p.category ?? '—'}
                          </td>
                          <td class="hide-sm">{p.colorName ?? p.color ?? '—'}</td>
                          <td>
                            {p.available ? (
                              <span class="badge ok">{t('products.inStock')}</span>
                            ) : (
                              <span class="badge">{t('products.outOfStock')}</span>
                            )}
                          </td>
                          <Show when={canEdit()}>
                            <td class="nowrap right">
                              <button class="btn sm" data-testid="product-edit" onClick={() => startEdit(p)}>
                                {t('common.edit')}
                              </button>{' '}
                              <button class="btn sm danger" data-testid="product-delete" onClick={() => remove(p)}>
                                {t('common.delete')}
                              </button>
                            </td>
                          </Show>
                        </>
                      }
                    >
                      <td>
                        <input
                          value={draft.sku}
                          onInput={(e) => setDraft('sku', e.currentTarget.value)}
                          aria-label="SKU"
                        />
                      </td>
                      <td>
                        <input
                          value={draft.name}
                          data-testid="edit-name"
                          onInput={(e) => setDraft('name', e.currentTarget.value)}
                          aria-label={t('products.name')}
                        />
                      </td>
                      <td>
                        <input
                          value={draft.price}
                          data-testid="edit-price"
                          inputmode="decimal"
                          onInput={(e) => setDraft('price', e.currentTarget.value)}
                          aria-label={t('products.price')}
                        />
                      </td>
                      <td class="hide-sm">
                        <TermSelect
                          options={categoryList()}
                          value={draft.category}
                          onChange={(v) => setDraft('category', v)}
                        />
                      </td>
                      <td class="hide-sm">
                        <TermSelect options={colorList()} value={draft.color} onChange={(v) => setDraft('color', v)} />
                      </td>
                      <td>
                        <input
                          type="checkbox"
                          checked={draft.available}
                          onChange={(e) => setDraft('available', e.currentTarget.checked)}
                        />
                      </td>
                      <td class="nowrap right">
                        <button class="btn sm primary" data-testid="edit-save" onClick={() => saveEdit(p)}>
                          {t('common.save')}
                        </button>{' '}
                        <button class="btn sm" onClick={() => setEditing(undefined)}>
                          {t('common.cancel')}
                        </button>
                      </td>
                    </Show>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </div>
        <Pager
          total={products.latest?.total ?? 0}
          limit={LIMIT}
          offset={filters.offset}
          onChange={(o) => setFilters('offset', o)}
        />
      </div>

      <Show when={creating()}>
        <Modal title={t('products.new')} onClose={() => setCreating(false)} testid="product-form">
          <form class="stack" onSubmit={create}>
            <div class="form-grid">
              <label class="field">
                SKU
                <input
                  required
                  name="sku"
                  value={draft.sku}
                  placeholder="SOFA-101"
                  onInput={(e) => setDraft('sku', e.currentTarget.value)}
                />
              </label>
              <label class="field">
                {t('products.name')}
                <input
                  required
                  name="name"
                  value={draft.name}
                  onInput={(e) => setDraft('name', e.currentTarget.value)}
                />
              </label>
              <label class="field">
                {t('products.price')} (₸)
                <input
                  required
                  name="price"
                  inputmode="decimal"
                  value={draft.price}
                  onInput={(e) => setDraft('price', e.currentTarget.value)}
                />
              </label>
              <label class="field">
                {t('products.category')}
                <TermSelect
                  name="category"
                  options={categoryList()}
                  value={draft.category}
                  onChange={(v) => setDraft('category', v)}
                />
              </label>
              <label class="field">
                {t('products.color')}
                <TermSelect
                  name="color"
                  options={colorList()}
                  value={draft.color}
                  onChange={(v) => setDraft('color', v)}
                />
              </label>
              <label class="field">
                {t('products.material')}
                <TermSelect
                  name="material"
                  options={materialList()}
                  value={draft.material}
                  onChange={(v) => setDraft('material', v)}
                />
              </label>
            </div>
            <label class="field">
              {t('products.imageUrl')}
              <input
                name="imageUrl"
                type="url"
                value={draft.imageUrl}
                onInput={(e) => setDraft('imageUrl', e.currentTarget.value)}
              />
            </label>
            <Show when={draft.imageUrl}>
              <img
                class="preview"
                src={draft.imageUrl}
                alt=""
                style={{ 'max-height': '160px', 'object-fit': 'contain' }}
              />
            </Show>
            <label class="field">
              {t('products.description')}
              <textarea
                name="description"
                rows="3"
                value={draft.description}
                onInput={(e) => setDraft('description', e.currentTarget.value)}
              />
            </label>
            <label class="check">
              <input
                type="checkbox"
                checked={draft.available}
                onChange={(e) => setDraft('available', e.currentTarget.checked)}
              />{' '}
              {t('products.inStock')}
            </label>
            <p class="muted small" style={{ margin: 0 }}>
              {t('products.cityNote', { city: cityOf(filters.cityId)?.name ?? '—' })}
            </p>
            <ErrorBox error={formError()} />
            <Show when={formError() instanceof ApiError && (formError() as ApiError).issues.length > 0}>
              <ul class="small" style={{ color: 'var(--danger)', margin: 0 }}>
                <For each={(formError() as ApiError).issues}>
                  {(i) => (
                    <li>
                      <b>{i.path}</b>: {i.message}
                    </li>
                  )}
                </For>
              </ul>
            </Show>
            <div class="row" style={{ 'justify-content': 'flex-end' }}>
              <button type="button" class="btn" onClick={() => setCreating(false)}>
                {t('common.cancel')}
              </button>
              <button type="submit" class="btn primary" data-testid="product-create">
                {t('common.create')}
              </button>
            </div>
          </form>
        </Modal>
      </Show>

      <Show when={importing()}>
        <ImportDialog
          citySlug={cityOf(filters.cityId)?.slug ?? ''}
          cityName={cityOf(filters.cityId)?.name ?? ''}
          onClose={() => setImporting(false)}
          onDone={() => void refetch()}
        />
      </Show>

      <Show when={preview()}>
        <Modal title={preview()!.name} onClose={() => setPreview(undefined)} testid="image-preview">
          <img class="preview" src={preview()!.imageUrl!} alt={preview()!.name} />
          <p class="muted">
            {preview()!.sku} · {formatMoney(preview()!.price, preview()!.currency)}
          </p>
        </Modal>
      </Show>
    </>
  );
}

/** CSV import in chunks of rows: a progress bar across chunks (and bytes within one), row errors listed */
function ImportDialog(props: {
  citySlug: string;
  cityName: string;
  onClose: () => void;
  onDone: () => void;
}): JSX.Element {
  const [text, setText] = createSignal('');
  const [fileName, setFileName] = createSignal('');
  const [progress, setProgress] = createSignal<number>();
  const [busy, setBusy] = createSignal(false);
  const [result, setResult] = createSignal<{
    ok: number;
    failed: number;
    errors: ImportRowError[];
    created: ImportedTerm[];
  }>();
  const [fatal, setFatal] = createSignal<string>();
  const ROWS_PER_CHUNK = 200;

  const run = async () => {
    setBusy(true);
    setFatal(undefined);
    setResult(undefined);
    setProgress(0);
    const chunks = chunkCsv(text(), ROWS_PER_CHUNK);
    const { records } = splitCsv(text());
    const totalRows = chunks.reduce((n, c) => n + c.rows, 0);
    let done = 0;
    let ok = 0;
    const errors: ImportRowError[] = [];
    const created: ImportedTerm[] = [];
    try {
      for (const chunk of chunks) {
        const res = await uploadWithProgress(
          buildUrl('/products/import', { city: props.citySlug }),
          chunk.csv,
          'text/csv',
          (loaded, total) => {
            setProgress(((done + ((chunk.rows * loaded) / Math.max(total, 1)) * 0.9) / Math.max(totalRows, 1)) * 100);
          },
        );
        const body = (res.body ?? {}) as {
          created?: ImportedTerm[];
          updated?: number;
          imported?: number;
          errors?: WireRowError[];
          error?: { message?: string; details?: unknown };
        };
        const rowErrors =
          body.errors ?? (Array.isArray(body.error?.details) ? (body.error!.details as WireRowError[]) : []);
        if (res.status >= 400 && rowErrors.length === 0) throw new Error(body.error?.message ?? `HTTP ${res.status}`);
        // each chunk repeats the header, so its line N is line N + (rows before the chunk) of the file
        for (const e of rowErrors) {
          const row = (Number(e.line ?? e.row) || 0) + chunk.firstRow;
          // show which product the line was about: its first column (sku) from the file itself
          const sku = records[row - 2]?.split(',')[0]?.replace(/^"|"$/g, '').trim();
          errors.push({
            row,
            message: e.reason ?? e.message ?? '',
            ...(e.field ? { field: e.field } : {}),
            ...(sku ? { sku } : {}),
          });
        }
        ok += (body.imported ?? 0) + (body.updated ?? 0);
        created.push(...(body.created ?? []));
        done += chunk.rows;
        setProgress((done / Math.max(totalRows, 1)) * 100);
      }
      setResult({ ok, failed: errors.length, errors, created });
      props.onDone();
    } catch (e) {
      setFatal(e instanceof Error ? e.message : String(e));
    } finally {
      setBusy(false);
    }
  };

  return (
    <Modal title={t('products.importTitle', { city: props.cityName })} onClose={props.onClose} testid="import-dialog">
      <div class="stack">
        <p class="muted small" style={{ margin: 0 }}>
          {t('products.importHint')}
        </p>
        <code class="small" style={{ 'word-break': 'break-all' }}>
          sku,name,description,price,category,color,material,image_url,is_available
        </code>
        <input
          type="file"
          accept=".csv,text/csv"
          data-testid="import-file"
          onChange={async (e) => {
            const file = e.currentTarget.files?.[0];
            if (!file) return;
            setFileName(file.name);
            setText(await file.text());
          }}
        />
        <textarea
          class="code"
          rows="6"
          placeholder="sku,name,price,…"
          value={text()}
          onInput={(e) => setText(e.currentTarget.value)}
          data-testid="import-text"
        />
        <Show when={progress() !== undefined}>
          <div
            class="progress"
            role="progressbar"
            aria-valuemin="0"
            aria-valuemax="100"
            aria-valuenow={Math.round(progress()!)}
            data-testid="import-progress"
          >
            <div style={{ width: `${progress()}%` }} />
          </div>
          <span class="small muted" data-testid="import-progress-text">
            {Math.round(progress()!)}%
          </span>
        </Show>
        <Show when={fatal()}>
          <div class="alert error" role="alert">
            {fatal()}
          </div>
        </Show>
        <Show when={result()}>
          <div
            class="alert"
            classList={{ ok: result()!.failed === 0, error: result()!.failed > 0 }}
            data-testid="import-summary"
          >
            {t('products.importDone', { ok: formatNumber(result()!.ok), failed: formatNumber(result()!.failed) })}
          </div>
          <Show when={result()!.created.length > 0}>
            <p class="small" data-testid="import-created">
              {t('products.importCreated', {
                terms: result()!
                  .created.map((term) => `${t(`products.term.${term.kind}`)} «${term.name}»`)
                  .join(', '),
              })}
            </p>
          </Show>
          <Show when={result()!.errors.length > 0}>
            <div class="table-wrap" style={{ 'max-height': '220px' }}>
              <table class="table" data-testid="import-errors">
                <thead>
                  <tr>
                    <th>{t('products.row')}</th>
                    <th>{t('products.field')}</th>
                    <th>{t('products.problem')}</th>
                  </tr>
                </thead>
                <tbody>
                  <For each={result()!.errors}>
                    {(e) => (
                      <tr>
                        <td>{e.row}</td>
                        <td class="mono">{e.field ?? e.sku ?? ''}</td>
                        <td>{e.message}</td>
                      </tr>
                    )}
                  </For>
                </tbody>
              </table>
            </div>
          </Show>
        </Show>
        <div class="row" style={{ 'justify-content': 'flex-end' }}>
          <span class="muted small" style={{ 'margin-right': 'auto' }}>
            {fileName()}
          </span>
          <button class="btn" onClick={props.onClose}>
            {t('common.close')}
          </button>
          <button
            class="btn primary"
            disabled={busy() || !text().trim() || !props.citySlug}
            onClick={run}
            data-testid="import-run"
          >
            {t('products.importRun')}
          </button>
        </div>
      </div>
    </Modal>
  );
}
