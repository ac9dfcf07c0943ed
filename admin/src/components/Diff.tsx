import { For, Show, createMemo, type JSX } from 'solid-js';
import { diffLines } from '../lib/diff.ts';
import { t } from '../i18n.ts';

export function DiffView(props: { before: string; after: string; testid?: string }): JSX.Element {
  const lines = createMemo(() => diffLines(props.before, props.after));
  const changed = () => lines().some((l) => l.op !== 'same');
  return (
    <div class="diff" data-testid={props.testid}>
      <Show
        when={changed()}
        fallback={
          <div class="same" style={{ padding: '8px 10px' }}>
            {t('diff.noChanges')}
          </div>
        }
      >
        <For each={lines()}>
          {(l) => (
            <div class={l.op}>
              {l.op === 'add' ? '+ ' : l.op === 'del' ? '- ' : '  '}
              {l.text}
            </div>
          )}
        </For>
      </Show>
    </div>
  );
}
