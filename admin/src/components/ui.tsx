import { For, Show, createEffect, createMemo, onCleanup, type JSX, type ParentProps } from 'solid-js';
import { t } from '../i18n.ts';

export function Modal(props: ParentProps<{ title: string; onClose: () => void; testid?: string }>): JSX.Element {
  const onKey = (e: KeyboardEvent) => e.key === 'Escape' && props.onClose();
  document.addEventListener('keydown', onKey);
  onCleanup(() => document.removeEventListener('keydown', onKey));
  return (
    <div class="modal-back" onClick={(e) => e.target === e.currentTarget && props.onClose()}>
      <div class="modal" role="dialog" aria-label={props.title} data-testid={props.testid}>
        <div class="card-head">
          <h2>{props.title}</h2>
          <div class="spacer" />
          <button class="btn ghost sm" onClick={props.onClose} aria-label={t('common.close')}>
            ✕
          </button>
        </div>
        {props.children}
      </div>
    </div>
  );
}

export function Pager(props: {
  total: number;
  limit: number;
  offset: number;
  onChange: (offset: number) => void;
}): JSX.Element {
  const page = () => Math.floor(props.offset / props.limit) + 1;
  const pages = () => Math.max(1, Math.ceil(props.total / props.limit));
  return (
    <div class="pager">
      <span class="muted small">
        {t('common.shown', {
          from: props.total ? props.offset + 1 : 0,
          to: Math.min(props.offset + props.limit, props.total),
          total: props.total,
        })}
      </span>
      <div class="spacer" />
      <button
        class="btn sm"
        disabled={page() <= 1}
        onClick={() => props.onChange(Math.max(0, props.offset - props.limit))}
      >
        ‹
      </button>
      <span class="small">
        {page()} / {pages()}
      </span>
      <button class="btn sm" disabled={page() >= pages()} onClick={() => props.onChange(props.offset + props.limit)}>
        ›
      </button>
    </div>
  );
}

export function ErrorBox(props: { error: unknown }): JSX.Element {
  return (
    <Show when={props.error}>
      <div class="alert error" role="alert" data-testid="error">
        {props.error instanceof Error ? props.error.message : String(props.error)}
      </div>
    </Show>
  );
}

/** a textarea with line numbers; `errorLines` are highlighted in the gutter */
export function CodeEditor(props: {
  value: string;
  onInput: (v: string) => void;
  errorLines?: number[];
  /** what is wrong on a line, shown when the pointer rests on its number */
  errorTitles?: Record<number, string>;
  rows?: number;
  testid?: string;
  readOnly?: boolean;
  focusLine?: number;
  wrap?: boolean;
}): JSX.Element {
  let gutter: HTMLDivElement | undefined;
  let area: HTMLTextAreaElement | undefined;
  // bring a line into view (a validation error was picked) and select it
  createEffect(() => {
    const line = props.focusLine;
    if (!line || !area) return;
    const lineHeight = parseFloat(getComputedStyle(area).lineHeight) || 18;
    area.scrollTop = Math.max(0, (line - 3) * lineHeight);
    const lines = area.value.split('\n');
    const start = lines.slice(0, line - 1).reduce((n, l) => n + l.length + 1, 0);
    area.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
    if (gutter) gutter.scrollTop = area.scrollTop;
  });
  const lines = createMemo(() => props.value.split('\n').length);
  const errors = createMemo(() => new Set(props.errorLines ?? []));
  return (
    <div
      class="code-editor"
      classList={{ wrap: props.wrap }}
      style={{ height: `${(props.rows ?? 20) * 18.75 + 18}px` }}
    >
      <div class="gutter" ref={gutter} aria-hidden="true" hidden={props.wrap}>
        <For each={Array.from({ length: lines() }, (_, i) => i + 1)}>
          {(n) => (
            <div classList={{ err: errors().has(n) }} title={props.errorTitles?.[n]}>
              {n}
            </div>
          )}
        </For>
      </div>
      <textarea
        ref={area}
        class="code"
        spellcheck={false}
        rows={props.rows ?? 20}
        value={props.value}
        readOnly={props.readOnly}
        data-testid={props.testid}
        onInput={(e) => props.onInput(e.currentTarget.value)}
        onScroll={(e) => {
          if (gutter) gutter.scrollTop = e.currentTarget.scrollTop;
        }}
      />
    </div>
  );
}
