import { For, Show, createResource, createSignal, type JSX } from 'solid-js';
import { createStore } from 'solid-js/store';
import { api } from '../api/client.ts';
import type { DeadLetter, DeadLetterKind, DeadLetterStatus, Paged } from '../api/types.ts';
import { CrmJobs } from '../components/CrmJobs.tsx';
import { toast, toastError } from '../components/Toast.tsx';
import { ErrorBox, Pager } from '../components/ui.tsx';
import { formatDateTime, t, type MessageKey } from '../i18n.ts';
import { useCities } from '../lib/cities.ts';
import { eventWords, refreshOpenFailures } from '../lib/failures.ts';

const LIMIT = 20;
const KIND_BADGE: Record<DeadLetterKind, string> = { message: 'bad', delivery: 'warn' };
/** the whole error is in the cell's tooltip; a stack trace would push the table off the screen */
const ERROR_CHARS = 160;
const clip = (text: string) => (text.length > ERROR_CHARS ? `${text.slice(0, ERROR_CHARS)}…` : text);

/** What the platform gave up on, for admins: dead letters of the conversation runtime and CRM rows Bitrix24 refused. */
export default function FailuresPage(): JSX.Element {
  return (
    <>
      <div class="page-head">
        <h1>{t('nav.failures')}</h1>
      </div>
      <DeadLetters />
      <CrmJobs />
    </>
  );
}

function DeadLetters(): JSX.Element {
  const [cities] = useCities();
  const [f, setF] = createStore({
    status: 'new' as DeadLetterStatus | '',
    kind: '' as DeadLetterKind | '',
    city: '',
    offset: 0,
  });
  const [list, { mutate }] = createResource(
    () => ({ ...f }),
    (q) =>
      api.get<Paged<DeadLetter>>('/dead-letters', {
        status: q.status || undefined,
        kind: q.kind || undefined,
        city: q.city || undefined,
        limit: LIMIT,
        offset: q.offset,
      }),
  );
  const [busy, setBusy] = createSignal<string>();
  const cityName = (letter: DeadLetter) => cities()?.find((c) => c.id === letter.cityId)?.name ?? letter.city;

  const retry = async (letter: DeadLetter) => {
    setBusy(letter.id);
    try {
      const res = await api.post<{ deadLetter: DeadLetter; outcome: 'accepted' | 'duplicate' }>(
        `/dead-letters/${letter.id}/retry`,
      );
      // the row stays where it is, marked retried, until the list is filtered or paged again
      mutate((page) => page && { ...page, items: page.items.map((x) => (x.id === letter.id ? res.deadLetter : x)) });
      toast(t(res.outcome === 'accepted' ? 'failures.resent' : 'failures.duplicate'));
      void refreshOpenFailures();
    } catch (error) {
      toastError(error);
    } finally {
      setBusy(undefined);
    }
  };

  return (
    <div class="card flush" style={{ 'margin-bottom': '16px' }} data-testid="dead-letters">
      <div class="card-head" style={{ padding: '12px 12px 0' }}>
        <h2>{t('failures.deadLetters')}</h2>
      </div>
      <p class="muted small" style={{ margin: '4px 12px 0' }}>
        {t('failures.deadLettersHint')}
      </p>
      <div class="row" style={{ padding: '12px', 'flex-wrap': 'wrap' }}>
        <select
          value={f.status}
          onChange={(e) => setF({ status: e.currentTarget.value as DeadLetterStatus | '', offset: 0 })}
          aria-label={t('failures.anyStatus')}
          data-testid="dead-letters-status"
        >
          <option value="new">{t('failures.status.new')}</option>
          <option value="retried">{t('failures.status.retried')}</option>
          <option value="">{t('failures.anyStatus')}</option>
        </select>
        <select
          value={f.kind}
          onChange={(e) => setF({ kind: e.currentTarget.value as DeadLetterKind | '', offset: 0 })}
          aria-label={t('failures.kind')}
          data-testid="dead-letters-kind"
        >
          <option value="">{t('failures.anyKind')}</option>
          <option value="message">{t('failures.kind.message')}</option>
          <option value="delivery">{t('failures.kind.delivery')}</option>
        </select>
        <select
          value={f.city}
          onChange={(e) => setF({ city: e.currentTarget.value, offset: 0 })}
          aria-label={t('common.city')}
          data-testid="dead-letters-city"
        >
          <option value="">{t('common.allCities')}</option>
          <For each={cities() ?? []}>{(c) => <option value={c.slug}>{c.name}</option>}</For>
        </select>
      </div>
      <ErrorBox error={list.error} />
      <div class="table-wrap">
        <table class="table" data-testid="dead-letters-table">
          <thead>
            <tr>
              <th>{t('failures.when')}</th>
              <th>{t('failures.where')}</th>
              <th>{t('failures.kind')}</th>
              <th>{t('failures.message')}</th>
              <th>{t('failures.error')}</th>
              <th>{t('failures.attempts')}</th>
              <th>{t('failures.replies')}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            <For
              each={list.latest?.items ?? []}
              fallback={
                <tr>
                  <td colspan="8" class="empty">
                    {list.loading ? t('common.loading') : t('failures.noDeadLetters')}
                  </td>
                </tr>
              }
            >
              {(letter) => {
                const said = eventWords(letter.event);
                return (
                  <tr data-testid="dead-letter-row">
                    <td class="nowrap">{formatDateTime(letter.createdAt)}</td>
                    <td>
                      {letter.channel} · {cityName(letter)}
                      <div class="muted small mono">{letter.userId}</div>
                    </td>
                    <td>
                      <span class={`badge ${KIND_BADGE[letter.kind]}`}>
                        {t(`failures.kind.${letter.kind}` as MessageKey)}
                      </span>
                      <Show when={letter.system}>
                        {' '}
                        <span class="badge">{t('failures.system')}</span>
                      </Show>
                      <Show when={letter.test}>
                        {' '}
                        <span class="badge">{t('failures.test')}</span>
                      </Show>
                    </td>
                    <td data-testid="dead-letter-message">
                      {said.words ?? ''}
                      <Show when={said.type !== 'text'}>
                        {' '}
                        <span class="muted small mono">{said.type}</span>
                      </Show>
                    </td>
                    <td class="small" title={letter.error} data-testid="dead-letter-error">
                      {clip(letter.error)}
                    </td>
                    <td>{letter.attempts}</td>
                    <td>{letter.replies.length}</td>
                    <td class="nowrap" data-testid="dead-letter-status">
                      <Show
                        when={letter.status === 'new'}
                        fallback={
                          <span class="badge ok">
                            {t('failures.retriedAt', { when: formatDateTime(letter.retriedAt) })}
                          </span>
                        }
                      >
                        <button
                          class="btn sm primary"
                          disabled={busy() === letter.id}
                          onClick={() => retry(letter)}
                          data-testid="dead-letter-retry"
                        >
                          {t('failures.retry')}
                        </button>
                      </Show>
                    </td>
                  </tr>
                );
              }}
            </For>
          </tbody>
        </table>
      </div>
      <Pager total={list.latest?.total ?? 0} limit={LIMIT} offset={f.offset} onChange={(o) => setF('offset', o)} />
    </div>
  );
}
