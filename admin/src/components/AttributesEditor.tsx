import { For, Show, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { Attribute, AttributeValue } from '../api/types.ts';
import { t } from '../i18n.ts';
import { nameOf, splitWords, useAttributes } from '../lib/taxonomy.ts';
import { ErrorBox, Modal } from './ui.tsx';
import { toast, toastError } from './Toast.tsx';

const BUILT_IN = ['color', 'material'];
type Draft = { kind: Attribute['kind']; ru: string; kk: string; en: string; unit: string };
const blank = (): Draft => ({ kind: 'enum', ru: '', kk: '', en: '', unit: '' });
const names = (d: { ru: string; kk: string; en: string }) => ({
  ru: d.ru.trim(),
  ...(d.kk.trim() ? { kk: d.kk.trim() } : {}),
  ...(d.en.trim() ? { en: d.en.trim() } : {}),
});

/** The attributes of the catalog: colour, material and the retailer's own, with their values and synonyms. */
export function AttributesEditor(props: { canEdit: boolean }): JSX.Element {
  const [attributes, { refetch }] = useAttributes();
  const [creating, setCreating] = createSignal(false);
  const [draft, setDraft] = createStore<Draft>(blank());
  const [error, setError] = createSignal<unknown>();

  const run = async (call: () => Promise<unknown>, done = t('common.saved')) => {
    try {
      await call();
      toast(done);
      void refetch();
    } catch (err) {
      toastError(err);
    }
  };
  const create = async (e: SubmitEvent) => {
    e.preventDefault();
    try {
      await api.post('/attributes', {
        kind: draft.kind,
        names: names(draft),
        ...(draft.kind === 'number' && draft.unit.trim() ? { unit: draft.unit.trim() } : {}),
      });
      setCreating(false);
      void refetch();
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div class="stack">
      <Show when={props.canEdit}>
        <div class="row">
          <button
            class="btn primary"
            data-testid="attribute-new"
            onClick={() => {
              setDraft(blank());
              setError(undefined);
              setCreating(true);
            }}
          >
            + {t('catalog.newAttribute')}
          </button>
        </div>
      </Show>
      <ErrorBox error={attributes.error} />
      <For each={attributes() ?? []}>
        {(a) => (
          <div class="card" data-testid="attribute-card" data-key={a.key}>
            <div class="card-head">
              <h2>{nameOf(a.names)}</h2>
              <span class="muted small mono">{a.key}</span>
              <span class="badge">{t(`catalog.kind.${a.kind}`)}</span>
              <Show when={a.kind === 'number' && a.unit}>
                <span class="badge">{a.kind === 'number' ? a.unit : ''}</span>
              </Show>
              <div class="spacer" />
              <Show
                when={props.canEdit && !BUILT_IN.includes(a.key)}
                fallback={<span class="muted small">{BUILT_IN.includes(a.key) ? t('catalog.builtIn') : ''}</span>}
              >
                <button
                  class="btn sm danger"
                  onClick={() =>
                    confirm(t('catalog.confirmDeleteAttribute', { name: nameOf(a.names) })) &&
                    void run(() => api.del(`/attributes/${a.key}`), t('catalog.deleted'))
                  }
                >
                  {t('common.delete')}
                </button>
              </Show>
            </div>
            <Show when={a.kind === 'enum' ? a : undefined}>
              {(e) => <ValuesTable attribute={e()} canEdit={props.canEdit} run={run} />}
            </Show>
          </div>
        )}
      </For>

      <Show when={creating()}>
        <Modal title={t('catalog.newAttribute')} onClose={() => setCreating(false)} testid="attribute-form">
          <form class="stack" onSubmit={create}>
            <div class="form-grid">
              <label class="field">
                {t('catalog.kind')}
                <select
                  name="kind"
                  value={draft.kind}
                  onChange={(e) => setDraft('kind', e.currentTarget.value as Draft['kind'])}
                >
                  <For each={['enum', 'number', 'text'] as const}>
                    {(k) => <option value={k}>{t(`catalog.kind.${k}`)}</option>}
                  </For>
                </select>
              </label>
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
              <Show when={draft.kind === 'number'}>
                <label class="field">
                  {t('catalog.unit')}
                  <input
                    name="unit"
                    value={draft.unit}
                    placeholder="см"
                    onInput={(e) => setDraft('unit', e.currentTarget.value)}
                  />
                </label>
              </Show>
            </div>
            <ErrorBox error={error()} />
            <div class="row" style={{ 'justify-content': 'flex-end' }}>
              <button type="button" class="btn" onClick={() => setCreating(false)}>
                {t('common.cancel')}
              </button>
              <button type="submit" class="btn primary" data-testid="attribute-save">
                {t('common.create')}
              </button>
            </div>
          </form>
        </Modal>
      </Show>
    </div>
  );
}

/** an enumeration's values: names and synonyms edited in place, new ones added at the bottom */
function ValuesTable(props: {
  attribute: Extract<Attribute, { kind: 'enum' }>;
  canEdit: boolean;
  run: (call: () => Promise<unknown>, done?: string) => Promise<void>;
}): JSX.Element {
  const [fresh, setFresh] = createStore({ ru: '', synonyms: '' });
  const path = (v?: AttributeValue) => `/attributes/${props.attribute.key}/values${v ? `/${v.value}` : ''}`;
  const saveSynonyms = (v: AttributeValue, text: string) =>
    props.run(() => api.patch(path(v), { synonyms: splitWords(text) }));
  return (
    <div class="table-wrap">
      <table class="table" data-testid="values-table">
        <thead>
          <tr>
            <th>{t('catalog.values')}</th>
            <th class="hide-sm">slug</th>
            <th>{t('catalog.synonyms')}</th>
            <Show when={props.canEdit}>
              <th />
            </Show>
          </tr>
        </thead>
        <tbody>
          <For each={props.attribute.values}>
            {(v) => (
              <tr data-testid="value-row" data-value={v.value}>
                <td>{nameOf(v.names)}</td>
                <td class="mono hide-sm">{v.value}</td>
                <td>
                  <Show when={props.canEdit} fallback={<span class="small">{v.synonyms.join(', ')}</span>}>
                    <input
                      value={v.synonyms.join(', ')}
                      aria-label={t('catalog.synonyms')}
                      onChange={(e) => void saveSynonyms(v, e.currentTarget.value)}
                    />
                  </Show>
                </td>
                <Show when={props.canEdit}>
                  <td class="right">
                    <button
                      class="btn sm danger"
                      onClick={() =>
                        confirm(t('catalog.confirmDeleteValue', { name: nameOf(v.names) })) &&
                        void props.run(() => api.del(path(v)), t('catalog.deleted'))
                      }
                    >
                      {t('common.delete')}
                    </button>
                  </td>
                </Show>
              </tr>
            )}
          </For>
          <Show when={props.canEdit}>
            <tr>
              <td>
                <input
                  placeholder={t('catalog.newValue')}
                  value={fresh.ru}
                  data-testid="value-new-name"
                  onInput={(e) => setFresh('ru', e.currentTarget.value)}
                />
              </td>
              <td class="hide-sm" />
              <td>
                <input
                  placeholder={t('catalog.synonyms')}
                  value={fresh.synonyms}
                  onInput={(e) => setFresh('synonyms', e.currentTarget.value)}
                />
              </td>
              <td class="right">
                <button
                  class="btn sm primary"
                  data-testid="value-add"
                  disabled={!fresh.ru.trim()}
                  onClick={() =>
                    void props
                      .run(() =>
                        api.post(path(), { names: { ru: fresh.ru.trim() }, synonyms: splitWords(fresh.synonyms) }),
                      )
                      .then(() => setFresh({ ru: '', synonyms: '' }))
                  }
                >
                  {t('catalog.addValue')}
                </button>
              </td>
            </tr>
          </Show>
        </tbody>
      </table>
    </div>
  );
}
