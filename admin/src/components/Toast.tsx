import { For, createSignal, type JSX } from 'solid-js';

type Toast = { id: number; text: string; kind: 'ok' | 'error' };
const [toasts, setToasts] = createSignal<Toast[]>([]);
let next = 1;

export function toast(text: string, kind: Toast['kind'] = 'ok'): void {
  const id = next++;
  // the newest three; older ones make room rather than pile up
  setToasts((list) => [...list, { id, text, kind }].slice(-3));
  setTimeout(() => setToasts((list) => list.filter((x) => x.id !== id)), kind === 'error' ? 6000 : 3000);
}

export function toastError(error: unknown): void {
  toast(error instanceof Error ? error.message : String(error), 'error');
}

export function Toasts(): JSX.Element {
  return (
    <div class="toast-host" aria-live="polite">
      <For each={toasts()}>
        {(x) => (
          <div class="toast" classList={{ error: x.kind === 'error' }} data-testid="toast">
            {x.text}
          </div>
        )}
      </For>
    </div>
  );
}
