import { For, Show, createEffect, createMemo, createResource, createSignal, type JSX } from 'solid-js';
import { parse } from 'yaml';
import { ApiError, api } from '../api/client.ts';
import type { ScenarioDoc, ScenarioProblem, ScenarioSummary } from '../api/types.ts';
import { DiffView } from '../components/Diff.tsx';
import { ScenarioDiagram } from '../components/ScenarioDiagram.tsx';
import { toast } from '../components/Toast.tsx';
import { CodeEditor, ErrorBox } from '../components/ui.tsx';
import { lang, t } from '../i18n.ts';
import { itemsOf } from '../lib/cities.ts';
import { lineOfPath, yamlSyntaxErrors } from '../lib/yamlLines.ts';

type Problem = ScenarioProblem & { line?: number };

function problemsOf(e: unknown): ScenarioProblem[] | undefined {
  if (!(e instanceof ApiError)) return undefined;
  const d = e.details as unknown;
  const list = Array.isArray(d) ? d : d && typeof d === 'object' && Array.isArray((d as { errors?: unknown }).errors) ? (d as { errors: unknown[] }).errors : undefined;
  return list?.filter((x): x is ScenarioProblem => !!x && typeof x === 'object' && 'message' in x);
}

export default function ScenariosPage(): JSX.Element {
  const [list] = createResource(async () => itemsOf(await api.get<ScenarioSummary[] | { items: ScenarioSummary[] }>('/scenarios')).items);
  const [selectedId, setSelectedId] = createSignal<string>();
  createEffect(() => {
    const l = list();
    if (l?.length && !selectedId()) setSelectedId(l[0]!.id);
  });
  const [doc, { refetch }] = createResource(selectedId, async (id) => {
    const res = await api.get<ScenarioDoc | { scenario: ScenarioDoc }>(`/scenarios/${encodeURIComponent(id)}`);
    return 'scenario' in res ? res.scenario : res;
  });
  const [text, setText] = createSignal('');
  const [problems, setProblems] = createSignal<Problem[]>([]);
  const [checkedOk, setCheckedOk] = createSignal(false);
  const [view, setView] = createSignal<'diagram' | 'diff'>('diagram');
  const [busy, setBusy] = createSignal(false);
  const [error, setError] = createSignal<unknown>();
  createEffect(() => {
    const d = doc();
    if (d) {
      setText(d.content);
      setProblems([]);
      setCheckedOk(false);
    }
  });
  const file = () => `${selectedId() ?? 'scenario'}.yaml`;
  /** the parsed YAML for the live diagram; the last good parse while the text is broken */
  let lastGood: unknown;
  const parsed = createMemo(() => {
    try {
      lastGood = parse(text());
    } catch {
      /* keep the last good diagram while typing */
    }
    return lastGood;
  });
  const syntax = createMemo(() => yamlSyntaxErrors(text()));
  const withLines = (list: ScenarioProblem[]): Problem[] => list.map((p) => ({ ...p, line: lineOfPath(text(), p.path) }));
  const allProblems = createMemo<Problem[]>(() => [...syntax().map((s) => ({ file: file(), path: `line ${s.line}`, message: s.message, line: s.line })), ...problems()]);

  const validate = async (): Promise<boolean> => {
    setBusy(true);
    setError(undefined);
    try {
      const res = await api.post<{ ok?: boolean; valid?: boolean; errors?: ScenarioProblem[] }>(`/scenarios/${encodeURIComponent(selectedId()!)}/validate`, { content: text() });
      const errs = res.errors ?? [];
      setProblems(withLines(errs));
      setCheckedOk(errs.length === 0);
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
      await refetch();
    } catch (e) {
      const errs = problemsOf(e);
      if (errs) setProblems(withLines(errs));
      else setError(e);
    } finally {
      setBusy(false);
    }
  };
  const firstBadLine = () => allProblems().find((p) => p.line)?.line;
  const highlight = () => {
    const p = problems()[0]?.path ?? '';
    const m = /^routing\.(\w+)/.exec(p) ?? /^menu\.(\d+)/.exec(p);
    if (!m) return undefined;
    if (p.startsWith('menu.')) {
      const menu = (parsed() as { menu?: { id?: string }[] } | undefined)?.menu;
      return menu?.[Number(m[1])]?.id;
    }
    return m[1];
  };

  return (
    <>
      <div class="page-head">
        <h1>{t('nav.scenarios')}</h1>
        <div class="spacer" />
        <select value={selectedId() ?? ''} onChange={(e) => setSelectedId(e.currentTarget.value)} aria-label={t('nav.scenarios')} data-testid="scenario-select">
          <For each={list() ?? []}>{(s) => <option value={s.id}>{s.name ? `${s.name} (${s.id})` : s.id} · v{s.version}</option>}</For>
        </select>
      </div>
      <ErrorBox error={list.error ?? doc.error ?? error()} />
      <div class="grid two" style={{ 'align-items': 'start' }}>
        <div class="card stack">
          <div class="card-head">
            <h2 class="mono">{file()}</h2>
            <Show when={doc()}><span class="badge info">v{doc()!.version}</span></Show>
            <div class="spacer" />
            <button class="btn" disabled={busy() || !selectedId()} onClick={() => void validate()} data-testid="scenario-validate">{t('scenarios.validate')}</button>
            <button class="btn primary" disabled={busy() || !selectedId() || text() === doc()?.content} onClick={() => void save()} data-testid="scenario-save">{t('common.save')}</button>
          </div>
          <CodeEditor value={text()} onInput={(v) => { setText(v); setCheckedOk(false); }} errorLines={allProblems().flatMap((p) => (p.line ? [p.line] : []))} rows={26} testid="scenario-text" />
          <div class="problems" data-testid="scenario-problems">
            <Show when={checkedOk() && allProblems().length === 0}><div class="alert ok" data-testid="scenario-ok">{t('scenarios.valid')}</div></Show>
            <For each={allProblems()}>
              {(p) => (
                <div class="problem" data-testid="scenario-problem">
                  <div class="where">{p.file ?? file()} › {p.path}{p.line ? ` (${t('scenarios.line')} ${p.line})` : ''}</div>
                  <div>{p.message}</div>
                </div>
              )}
            </For>
          </div>
          <Show when={firstBadLine()}><span class="small muted">{t('scenarios.firstError', { line: firstBadLine()! })}</span></Show>
        </div>
        <div class="card stack">
          <div class="tabs" style={{ 'margin-bottom': 0 }}>
            <button classList={{ on: view() === 'diagram' }} onClick={() => setView('diagram')}>{t('scenarios.diagram')}</button>
            <button classList={{ on: view() === 'diff' }} onClick={() => setView('diff')}>{t('scenarios.changes')}</button>
          </div>
          <Show when={view() === 'diagram'} fallback={<DiffView before={doc()?.content ?? ''} after={text()} />}>
            <ScenarioDiagram scenario={parsed()} lang={lang()} highlight={highlight()} />
            <div class="legend">
              <span><i style={{ background: '#4f46e5' }} />{t('scenarios.legendState')}</span>
              <span><i style={{ background: '#e0f2fe' }} />{t('scenarios.legendInput')}</span>
              <span><i style={{ background: '#f0f2f7', border: '1px solid #d6d9e3' }} />{t('scenarios.legendIntent')}</span>
              <span><i style={{ background: '#ecfdf5' }} />{t('scenarios.legendMenu')}</span>
              <span><i style={{ background: '#fff7ed' }} />{t('scenarios.legendRoute')}</span>
              <span><i style={{ background: '#c2410c' }} />{t('scenarios.legendChanged')}</span>
            </div>
          </Show>
        </div>
      </div>
    </>
  );
}
