import { For, Show, createEffect, createMemo, createResource, createSignal, on, onCleanup, type JSX } from 'solid-js';
import { ApiError, api } from '../api/client.ts';
import type { ScenarioDoc, ScenarioGraph, ScenarioProblem, ScenarioSummary, ScenarioVersion } from '../api/types.ts';
import { DiffView } from '../components/Diff.tsx';
import { DraftChat } from '../components/DraftChat.tsx';
import { ScenarioDiagram } from '../components/ScenarioDiagram.tsx';
import { toast } from '../components/Toast.tsx';
import { CodeEditor, ErrorBox } from '../components/ui.tsx';
import { formatDateTime, lang, t } from '../i18n.ts';
import { itemsOf } from '../lib/cities.ts';
import { lineOfPath, yamlSyntaxErrors } from '../lib/yamlLines.ts';

type Problem = ScenarioProblem & { line?: number };

function problemsOf(e: unknown): ScenarioProblem[] | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const d = e.details as unknown;
  const list = Array.isArray(d)
    ? d
    : d && typeof d === 'object' && Array.isArray((d as { errors?: unknown }).errors)
      ? (d as { errors: unknown[] }).errors
      : undefined;
  return list?.filter((x): x is ScenarioProblem => !!x && typeof x === 'object' && ('reason' in x || 'message' in x));
}
const why = (p: ScenarioProblem) => p.reason ?? p.message ?? '';

export default function ScenariosPage(): JSX.Element {
  const [list] = createResource(
    async () => itemsOf(await api.get<ScenarioSummary[] | { items: ScenarioSummary[] }>('/scenarios')).items,
  );
  const [selectedId, setSelectedId] = createSignal<string>();
  createEffect(() => {
    const l = list();
    if (l?.length && !selectedId()) setSelectedId(l[0]!.id);
  });
  const [doc, { refetch }] = createResource(
    selectedId,
    async (id) => (await api.get<{ scenario: ScenarioDoc }>(`/scenarios/${encodeURIComponent(id)}`)).scenario,
  );
  const [versions, { refetch: refetchVersions }] = createResource(selectedId, async (id) =>
    (await api.get<{ items: ScenarioVersion[] }>(`/scenarios/${encodeURIComponent(id)}/versions`)).items.sort(
      (a, b) => b.version - a.version,
    ),
  );
  const [text, setText] = createSignal('');
  const [problems, setProblems] = createSignal<Problem[]>([]);
  const [checkedOk, setCheckedOk] = createSignal(false);
  const [view, setView] = createSignal<'diagram' | 'diff' | 'try'>('diagram');
  const [focusLine, setFocusLine] = createSignal<number>();
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  /** the machine the server built from the saved scenario, then from each valid draft; the last good one while the text is broken */
  const [graph, setGraph] = createSignal<ScenarioGraph>();
  createEffect(() => {
    const d = doc();
    if (d) {
      setText(d.content ?? '');
      setProblems([]);
      setCheckedOk(false);
      setGraph(d.graph);
    }
  });
  const file = () => doc()?.file ?? `${selectedId() ?? 'scenario'}.yaml`;
  /** checked in place as the designer types: the server's problems at their lines, the diagram of the last good text */
  const revalidate = async (content: string) => {
    if (yamlSyntaxErrors(content).length > 0) {
      // the YAML itself is broken: its errors are already shown, line by line, without the server
      setProblems([]);
      return;
    }
    const res = await api
      .post<{ ok?: boolean; errors?: ScenarioProblem[]; graph?: ScenarioGraph }>('/scenarios/validate', {
        content,
        file: file(),
      })
      .catch(() => undefined);
    if (!res || text() !== content) return;
    if (res.graph) setGraph(res.graph);
    setProblems(withLines(res.errors ?? []));
    setCheckedOk((res.errors ?? []).length === 0);
  };
  let redrawTimer: ReturnType<typeof setTimeout> | undefined;
  createEffect(
    on(
      text,
      (content) => {
        clearTimeout(redrawTimer);
        if (content !== (doc()?.content ?? '')) redrawTimer = setTimeout(() => void revalidate(content), 500);
        else setProblems([]);
      },
      { defer: true },
    ),
  );
  onCleanup(() => clearTimeout(redrawTimer));
  const syntax = createMemo(() => yamlSyntaxErrors(text()));
  const withLines = (list: ScenarioProblem[]): Problem[] =>
    list.map((p) => ({ ...p, line: lineOfPath(text(), p.path) }));
  const allProblems = createMemo<Problem[]>(() => [
    ...syntax().map((s) => ({ file: file(), path: `line ${s.line}`, reason: s.message, line: s.line })),
    ...problems(),
  ]);

  const validate = async (): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<{ ok?: boolean; errors?: ScenarioProblem[]; graph?: ScenarioGraph }>(
        '/scenarios/validate',
        { content: text(), file: file() },
      );
      const errs = res.errors ?? [];
      if (res.graph) setGraph(res.graph);
      setProblems(withLines(errs));
      setCheckedOk(errs.length === 0);
      const first = problems().find((p) => p.line)?.line;
      if (first) setFocusLine(first);
      return errs.length === 0;
    } catch (e) {
      const errs = problemsOf(e);
      if (errs) {
        setProblems(withLines(errs));
        setCheckedOk(false);
      } else setError(e);
      return false;
    } finally {
      setBusy(false);
    }
  };
  const save = async () => {
    if (!(await validate())) return;
    setBusy(true);
    try {
      await api.put(`/scenarios/${encodeURIComponent(selectedId()!)}`, { content: text() });
      toast(t('scenarios.saved'));
      await Promise.all([refetch(), refetchVersions()]);
    } catch (e) {
      const errs = problemsOf(e);
      if (errs) setProblems(withLines(errs));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const activate = async (version: number) => {
    try {
      await api.post(`/scenarios/${encodeURIComponent(selectedId()!)}/activate`, { version });
      toast(t('prompts.rolledBack', { v: version }));
      await Promise.all([refetch(), refetchVersions()]);
    } catch (e) {
      const errs = problemsOf(e);
      if (errs) setProblems(withLines(errs));
      else setError(e);
    }
  };
  const highlight = () => {
    const p = problems()[0]?.path ?? '';
    const m = /^routing\.(\w+)/.exec(p) ?? /^menu\.(\d+)/.exec(p);
    if (!m) return undefined;
    if (p.startsWith('menu.')) return graph()?.menu[Number(m[1])]?.id;
    return m[1];
  };

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.scenarios')}</h1>
        <div class="spacer" />
        <select
          value={selectedId() ?? ''}
          onChange={(e) => setSelectedId(e.currentTarget.value)}
          aria-label={t('nav.scenarios')}
          data-testid="scenario-select"
        >
          <For each={list() ?? []}>
            {(s) => (
              <option value={s.id}>
                {s.name ? `${s.name} (${s.id})` : s.id} · v{s.version}
              </option>
            )}
          </For>
        </select>
      </div>
      <ErrorBox error={list.error ?? doc.error ?? error()} />
      <div class="scenario-grid">
        <div class="card stack">
          <div class="card-head" style={{ 'flex-wrap': 'wrap' }}>
            <h2 class="mono">{file()}</h2>
            <Show when={doc()}>
              <span class="badge info">
                {doc()!.source === 'database' ? `v${doc()!.activeVersion}` : t('scenarios.shipped')}
              </span>
            </Show>
            <div class="spacer" />
            <button
              class="btn"
              disabled={busy() || !selectedId()}
              onClick={() => void validate()}
              data-testid="scenario-validate"
            >
              {t('scenarios.validate')}
            </button>
            <button
              class="btn primary"
              disabled={busy() || !selectedId() || text() === (doc()?.content ?? '')}
              onClick={() => void save()}
              data-testid="scenario-save"
            >
              {t('common.save')}
            </button>
          </div>
          <CodeEditor
            value={text()}
            onInput={(v) => {
              setText(v);
              setCheckedOk(false);
            }}
            errorLines={allProblems().flatMap((p) => (p.line ? [p.line] : []))}
            errorTitles={Object.fromEntries(allProblems().flatMap((p) => (p.line ? [[p.line, why(p)]] : [])))}
            rows={24}
            testid="scenario-text"
            focusLine={focusLine()}
          />
        </div>
        <div class="stack">
          <div class="card stack">
            <h2 style={{ margin: 0 }}>{t('scenarios.problems')}</h2>
            <div class="problems" data-testid="scenario-problems">
              <Show when={allProblems().length === 0}>
                <Show when={checkedOk()} fallback={<div class="muted small">{t('scenarios.notChecked')}</div>}>
                  <div class="alert ok" data-testid="scenario-ok">
                    {t('scenarios.valid')}
                  </div>
                </Show>
              </Show>
              <For each={allProblems()}>
                {(p) => (
                  <div
                    class="problem"
                    data-testid="scenario-problem"
                    style={{ cursor: p.line ? 'pointer' : 'default' }}
                    onClick={() => p.line && setFocusLine(p.line)}
                  >
                    <div class="where">
                      {p.file ?? file()} › {p.path}
                      {p.line ? ` (${t('scenarios.line')} ${p.line})` : ''}
                    </div>
                    <div>{why(p)}</div>
                  </div>
                )}
              </For>
            </div>
          </div>
          <div class="card stack">
            <h2 style={{ margin: 0 }}>{t('scenarios.versions')}</h2>
            <div class="esc-list" data-testid="scenario-versions">
              <For each={versions() ?? []} fallback={<div class="muted small">{t('scenarios.noVersions')}</div>}>
                {(v) => (
                  <div class="esc-item" style={{ cursor: 'default', padding: '8px 0' }}>
                    <div class="top">
                      <b>v{v.version}</b>
                      <Show when={v.isActive}>
                        <span class="badge ok">{t('prompts.active')}</span>
                      </Show>
                      <div class="spacer" />
                      <span class="muted small">{formatDateTime(v.createdAt)}</span>
                      <Show when={!v.isActive}>
                        <button class="btn sm" onClick={() => void activate(v.version)}>
                          {t('prompts.rollback')}
                        </button>
                      </Show>
                    </div>
                  </div>
                )}
              </For>
            </div>
          </div>
        </div>
      </div>
      <div class="card stack">
        <div class="tabs" style={{ 'margin-bottom': 0 }}>
          <button classList={{ on: view() === 'diagram' }} onClick={() => setView('diagram')}>
            {t('scenarios.diagram')}
          </button>
          <button classList={{ on: view() === 'diff' }} onClick={() => setView('diff')} data-testid="scenario-changes">
            {t('scenarios.changes')}
          </button>
          <button classList={{ on: view() === 'try' }} onClick={() => setView('try')} data-testid="scenario-try">
            {t('scenarios.tryDraft')}
          </button>
        </div>
        <Show when={view() === 'diff'}>
          <DiffView before={doc()?.content ?? ''} after={text()} testid="scenario-diff" />
        </Show>
        <Show when={view() === 'try'}>
          <DraftChat
            content={text}
            file={file}
            onProblems={(list) => {
              setProblems(withLines(list));
              setCheckedOk(false);
            }}
          />
        </Show>
        <Show when={view() === 'diagram'}>
          <div class="legend" style={{ 'margin-top': 0 }}>
            <span>
              <i style={{ background: '#4f46e5' }} />
              {t('scenarios.legendState')}
            </span>
            <span>
              <i style={{ background: '#e0f2fe' }} />
              {t('scenarios.legendInput')}
            </span>
            <span>
              <i style={{ background: '#f0f2f7', border: '1px solid #d6d9e3' }} />
              {t('scenarios.legendIntent')}
            </span>
            <span>
              <i style={{ background: '#ecfdf5' }} />
              {t('scenarios.legendMenu')}
            </span>
            <span>
              <i style={{ background: '#c2410c' }} />
              {t('scenarios.legendChanged')}
            </span>
          </div>
          <Show when={graph()}>{(g) => <ScenarioDiagram graph={g()} lang={lang()} highlight={highlight()} />}</Show>
        </Show>
      </div>
    </>
  );
}
