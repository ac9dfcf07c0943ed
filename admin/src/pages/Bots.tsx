import { For, Show, createEffect, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { ApiError, api } from '../api/client.ts';
import type { BotConfig, Prompt } from '../api/types.ts';
import { DiffView } from '../components/Diff.tsx';
import { toast, toastError } from '../components/Toast.tsx';
import { CodeEditor, ErrorBox } from '../components/ui.tsx';
import { formatDateTime, t } from '../i18n.ts';
import { useCities } from '../lib/cities.ts';
import { ROLE_SETS } from '../nav.ts';
import { hasRole } from '../session.ts';

type Channel = 'telegram' | 'whatsapp';
const PROMPT_NAMES = ['system'];

export default function BotsPage(): JSX.Element {
  const [cities] = useCities();
  const [cityId, setCityId] = createSignal('');
  const [tab, setTab] = createSignal<'settings' | 'prompts'>(hasRole(ROLE_SETS.admins) ? 'settings' : 'prompts');
  createEffect(() => {
    const list = cities();
    if (list?.length && !cityId()) setCityId(list[0]!.id);
  });
  return (
    <>
      <div class="page-head">
        <h1>{t('nav.bots')}</h1>
        <div class="spacer" />
        <select
          value={cityId()}
          onChange={(e) => setCityId(e.currentTarget.value)}
          aria-label={t('common.city')}
          data-testid="bots-city"
        >
          <For each={cities() ?? []}>{(c) => <option value={c.id}>{c.name}</option>}</For>
        </select>
      </div>
      <div class="tabs">
        <Show when={hasRole(ROLE_SETS.admins)}>
          <button
            classList={{ on: tab() === 'settings' }}
            onClick={() => setTab('settings')}
            data-testid="tab-settings"
          >
            {t('bots.settings')}
          </button>
        </Show>
        <button classList={{ on: tab() === 'prompts' }} onClick={() => setTab('prompts')} data-testid="tab-prompts">
          {t('bots.prompts')}
        </button>
      </div>
      <Show when={cityId()}>
        <Show when={tab() === 'settings'} fallback={<PromptEditor cityId={cityId()} />}>
          <BotSettings cityId={cityId()} />
        </Show>
      </Show>
    </>
  );
}

type ChannelView = Omit<BotConfig, 'hasBotToken'> & { botToken: string | null };
type SettingsForm = {
  model: string;
  maxTokens: string;
  templateLang: string;
  templateLangs: string;
  templateParams: string;
};

/** the form's settings as the API takes them: an empty field clears the setting (null) */
function settingsBody(channel: Channel, form: SettingsForm): Record<string, unknown> {
  const text = (value: string) => value.trim() || null;
  const out: Record<string, unknown> = {
    model: text(form.model),
    maxTokens: form.maxTokens.trim() === '' ? null : Number(form.maxTokens),
  };
  if (channel === 'whatsapp') {
    const params = form.templateParams
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean);
    const langs = form.templateLangs
      .split(',')
      .map((l) => l.trim())
      .filter(Boolean);
    Object.assign(out, {
      templateLang: text(form.templateLang),
      templateLangs: langs.length > 0 ? langs : null,
      templateParams: params.length > 0 ? params : null,
    });
  }
  return out;
}

function BotSettings(props: { cityId: string }): JSX.Element {
  const [configs, { refetch }] = createResource(
    () => props.cityId,
    (id) =>
      api.get<{ cityId: string; telegram: ChannelView | null; whatsapp: ChannelView | null }>(`/bot-config/${id}`),
  );
  return (
    <div class="grid two">
      <For each={['telegram', 'whatsapp'] as Channel[]}>
        {(channel) => (
          <ChannelForm
            cityId={props.cityId}
            channel={channel}
            config={configs()?.[channel] ?? undefined}
            onSaved={() => void refetch()}
          />
        )}
      </For>
      <ErrorBox error={configs.error} />
    </div>
  );
}

function ChannelForm(props: {
  cityId: string;
  channel: Channel;
  config?: ChannelView;
  onSaved: () => void;
}): JSX.Element {
  const [form, setForm] = createStore({
    botToken: '',
    managersChatId: '',
    whatsappPhoneNumberId: '',
    whatsappTemplateName: '',
  });
  const [settings, setSettings] = createStore<SettingsForm>({
    model: '',
    maxTokens: '',
    templateLang: '',
    templateLangs: '',
    templateParams: '',
  });
  const [error, setError] = createSignal<unknown>();
  createEffect(() => {
    const c = props.config;
    setForm({
      botToken: '',
      managersChatId: c?.managersChatId ?? '',
      whatsappPhoneNumberId: c?.whatsappPhoneNumberId ?? '',
      whatsappTemplateName: c?.whatsappTemplateName ?? '',
    });
    const s = (c?.settings ?? {}) as Record<string, unknown>;
    const str = (k: string) => (s[k] === undefined || s[k] === null ? '' : String(s[k]));
    setSettings({
      model: str('model'),
      maxTokens: str('maxTokens'),
      templateLang: str('templateLang'),
      templateLangs: Array.isArray(s.templateLangs) ? s.templateLangs.join(', ') : '',
      templateParams: Array.isArray(s.templateParams) ? s.templateParams.join(', ') : '',
    });
  });
  const save = async (e: SubmitEvent) => {
    e.preventDefault();
    setError(undefined);
    try {
      await api.put(`/bot-config/${props.cityId}`, {
        channel: props.channel,
        ...(form.botToken ? { botToken: form.botToken.trim() } : {}),
        managersChatId: form.managersChatId.trim() || null,
        ...(props.channel === 'whatsapp'
          ? {
              whatsappPhoneNumberId: form.whatsappPhoneNumberId.trim() || null,
              whatsappTemplateName: form.whatsappTemplateName.trim() || null,
            }
          : {}),
        settings: settingsBody(props.channel, settings),
      });
      toast(t('common.saved'));
      setForm('botToken', '');
      props.onSaved();
    } catch (err) {
      setError(err);
    }
  };
  const issues = () => (error() instanceof ApiError ? (error() as ApiError).issues : []);
  return (
    <form class="card stack" onSubmit={save} data-testid={`bot-${props.channel}`}>
      <div class="card-head">
        <h2>{props.channel === 'telegram' ? 'Telegram' : 'WhatsApp'}</h2>
        <div class="spacer" />
        <Show when={props.config} fallback={<span class="badge">{t('bots.notConfigured')}</span>}>
          <span class="badge info">v{props.config!.version}</span>
        </Show>
      </div>
      <Show when={props.channel === 'telegram'}>
        <label class="field">
          {t('bots.token')}
          <code class="badge" style={{ 'align-self': 'flex-start' }} data-testid="token-masked">
            {props.config?.botToken ?? t('bots.noToken')}
          </code>
          <input
            type="password"
            autocomplete="off"
            placeholder={t('bots.newToken')}
            value={form.botToken}
            onInput={(e) => setForm('botToken', e.currentTarget.value)}
          />
        </label>
        <label class="field">
          {t('bots.managersChat')}
          <input
            value={form.managersChatId}
            onInput={(e) => setForm('managersChatId', e.currentTarget.value)}
            placeholder="-1001234567890"
          />
        </label>
      </Show>
      <Show when={props.channel === 'whatsapp'}>
        <div class="form-grid">
          <label class="field">
            {t('bots.phoneId')}
            <input
              value={form.whatsappPhoneNumberId}
              onInput={(e) => setForm('whatsappPhoneNumberId', e.currentTarget.value)}
            />
          </label>
          <label class="field">
            {t('bots.template')}
            <input
              value={form.whatsappTemplateName}
              onInput={(e) => setForm('whatsappTemplateName', e.currentTarget.value)}
            />
          </label>
        </div>
      </Show>
      <h3 style={{ margin: '4px 0 0' }}>{t('bots.settingsLabel')}</h3>
      <div class="form-grid">
        <label class="field">
          {t('bots.model')}
          <input
            name="model"
            value={settings.model}
            placeholder="gpt-4o-mini"
            onInput={(e) => setSettings('model', e.currentTarget.value)}
          />
        </label>
        <label class="field">
          {t('bots.maxTokens')}
          <input
            name="maxTokens"
            type="number"
            min="50"
            max="16000"
            step="1"
            placeholder="300"
            value={settings.maxTokens}
            onInput={(e) => setSettings('maxTokens', e.currentTarget.value)}
          />
        </label>
      </div>
      <span class="muted small">{t('bots.modelHint')}</span>
      <Show when={props.channel === 'whatsapp'}>
        <div class="form-grid">
          <label class="field">
            {t('bots.templateLang')}
            <input
              name="templateLang"
              value={settings.templateLang}
              placeholder="ru"
              onInput={(e) => setSettings('templateLang', e.currentTarget.value)}
            />
          </label>
          <label class="field">
            {t('bots.templateLangs')}
            <input
              name="templateLangs"
              value={settings.templateLangs}
              placeholder="kk, en"
              onInput={(e) => setSettings('templateLangs', e.currentTarget.value)}
            />
          </label>
          <label class="field">
            {t('bots.templateParams')}
            <input
              name="templateParams"
              value={settings.templateParams}
              placeholder="text"
              onInput={(e) => setSettings('templateParams', e.currentTarget.value)}
            />
          </label>
        </div>
        <span class="muted small">{t('bots.templateHint')}</span>
      </Show>
      <Show when={props.config}>
        <span class="muted small">
          {t('common.updated')}: {formatDateTime(props.config!.updatedAt)}
        </span>
      </Show>
      <ErrorBox error={error()} />
      <Show when={issues().length > 0}>
        <ul class="small" style={{ color: 'var(--danger)', margin: 0 }}>
          <For each={issues()}>
            {(i) => (
              <li>
                <b>{i.path}</b>: {i.message}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <div class="row" style={{ 'justify-content': 'flex-end' }}>
        <button class="btn primary" type="submit" data-testid={`bot-save-${props.channel}`}>
          {t('common.save')}
        </button>
      </div>
    </form>
  );
}

/** prompt editor: versions on the left, the text and a diff against the active version; save = new version */
function PromptEditor(props: { cityId: string }): JSX.Element {
  const [name, setName] = createSignal(PROMPT_NAMES[0]!);
  const [scope, setScope] = createSignal<'city' | 'global'>('city');
  const scopeCity = () => (scope() === 'city' ? props.cityId : undefined);
  const [names] = createResource(
    () => props.cityId,
    async (city) => {
      const res = await api.get<{ items: Prompt[] }>('/prompts', { city });
      return [...new Set([...PROMPT_NAMES, ...res.items.map((p) => p.name)])];
    },
  );
  const [versions, { refetch }] = createResource(
    () => ({ name: name(), city: scopeCity() }),
    async (q) => {
      const res = await api.get<{ items: Prompt[] }>(`/prompts/${encodeURIComponent(q.name)}/versions`, {
        city: q.city,
      });
      return [...res.items].sort((a, b) => b.version - a.version);
    },
  );
  const active = createMemo(() => versions()?.find((p) => p.isActive));
  const [selected, setSelected] = createSignal<Prompt>();
  const [text, setText] = createSignal('');
  const [showDiff, setShowDiff] = createSignal(true);
  createEffect(() => {
    const a = active() ?? versions()?.[0];
    setSelected(a);
    setText(a?.content ?? '');
  });
  const canEdit = () => hasRole(ROLE_SETS.designers);
  const save = async () => {
    try {
      await api.post(`/prompts/${encodeURIComponent(name())}/versions`, {
        content: text(),
        ...(scopeCity() ? { city: scopeCity() } : {}),
      });
      toast(t('prompts.saved'));
      await refetch();
    } catch (e) {
      toastError(e);
    }
  };
  const activate = async (p: Prompt) => {
    try {
      await api.post(`/prompts/${encodeURIComponent(name())}/activate`, {
        version: p.version,
        ...(scopeCity() ? { city: scopeCity() } : {}),
      });
      toast(t('prompts.rolledBack', { v: p.version }));
      await refetch();
    } catch (e) {
      toastError(e);
    }
  };
  return (
    <div class="grid split">
      <div class="card flush">
        <div class="stack" style={{ padding: '12px' }}>
          <div class="row">
            <select value={name()} onChange={(e) => setName(e.currentTarget.value)} aria-label={t('prompts.name')}>
              <For each={names() ?? PROMPT_NAMES}>{(n) => <option value={n}>{n}</option>}</For>
            </select>
            <select
              value={scope()}
              onChange={(e) => setScope(e.currentTarget.value as 'city' | 'global')}
              aria-label={t('prompts.scope')}
            >
              <option value="city">{t('prompts.thisCity')}</option>
              <option value="global">{t('prompts.allCities')}</option>
            </select>
          </div>
          <h3 style={{ margin: '6px 0 0' }}>{t('prompts.history')}</h3>
        </div>
        <div class="esc-list" data-testid="prompt-versions">
          <For
            each={versions() ?? []}
            fallback={<div class="empty">{versions.loading ? t('common.loading') : t('prompts.none')}</div>}
          >
            {(p) => (
              <div
                class="esc-item"
                classList={{ selected: selected()?.id === p.id }}
                onClick={() => {
                  setSelected(p);
                  setText(p.content);
                }}
                data-testid="prompt-version"
              >
                <div class="top">
                  <b>v{p.version}</b>
                  <Show when={p.isActive}>
                    <span class="badge ok">{t('prompts.active')}</span>
                  </Show>
                  <div class="spacer" />
                  <span class="muted small">{formatDateTime(p.createdAt)}</span>
                </div>
                <span
                  class="muted small"
                  style={{ overflow: 'hidden', 'text-overflow': 'ellipsis', 'white-space': 'nowrap' }}
                >
                  {p.content.slice(0, 80)}
                </span>
                <Show when={!p.isActive && canEdit()}>
                  <button
                    class="btn sm"
                    style={{ 'align-self': 'flex-start' }}
                    data-testid="prompt-rollback"
                    onClick={(e) => {
                      e.stopPropagation();
                      void activate(p);
                    }}
                  >
                    {t('prompts.rollback')}
                  </button>
                </Show>
              </div>
            )}
          </For>
        </div>
      </div>
      <div class="card stack">
        <div class="card-head">
          <h2>
            {t('prompts.editor')}{' '}
            <Show when={selected()}>
              <span class="muted">· v{selected()!.version}</span>
            </Show>
          </h2>
          <div class="spacer" />
          <label class="check small">
            <input type="checkbox" checked={showDiff()} onChange={(e) => setShowDiff(e.currentTarget.checked)} />{' '}
            {t('prompts.showDiff')}
          </label>
        </div>
        <CodeEditor value={text()} onInput={setText} rows={12} testid="prompt-text" readOnly={!canEdit()} wrap />
        <Show when={showDiff()}>
          <h3>{t('prompts.diffAgainst', { v: active()?.version ?? '—' })}</h3>
          <DiffView before={active()?.content ?? ''} after={text()} testid="prompt-diff" />
        </Show>
        <ErrorBox error={versions.error} />
        <Show when={canEdit()}>
          <div class="row" style={{ 'justify-content': 'flex-end' }}>
            <span class="muted small" style={{ 'margin-right': 'auto' }}>
              {t('prompts.hotReload')}
            </span>
            <button
              class="btn primary"
              disabled={text() === (active()?.content ?? '') || !text().trim()}
              onClick={save}
              data-testid="prompt-save"
            >
              {t('prompts.saveVersion')}
            </button>
          </div>
        </Show>
      </div>
    </div>
  );
}
