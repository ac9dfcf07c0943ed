import { createSignal } from 'solid-js';
import { api } from '../api/client.ts';
import type { CrmJobsPage, DeadLetter, Paged } from '../api/types.ts';

const [openFailures, setOpenFailures] = createSignal(0);
/** new dead letters plus the CRM rows Bitrix24 refused: what waits for an admin on the Failures page */
export { openFailures };

export async function refreshOpenFailures(): Promise<void> {
  try {
    const [letters, crm] = await Promise.all([
      api.get<Paged<DeadLetter>>('/dead-letters', { status: 'new', limit: 1 }),
      api.get<CrmJobsPage>('/crm/jobs', { status: 'failed', limit: 1 }),
    ]);
    setOpenFailures(letters.total + crm.counts.failed);
  } catch {
    /* the badge is a nicety */
  }
}

/**
 * The words a dead letter's message carried, for the list: the text, a photo's caption, a command,
 * a shared phone, a manager's reply, a tapped button's id. `type` is the engine's event type, shown
 * when there are no words (a voice note, a timer).
 */
export function eventWords(event: unknown): { type: string; words?: string } {
  const e = (event ?? {}) as Record<string, unknown>;
  const type = typeof e.type === 'string' ? e.type : '?';
  const str = (value: unknown) => (typeof value === 'string' && value.trim() ? value : undefined);
  const words =
    type === 'command'
      ? `/${String(e.command ?? '')}${str(e.args) ? ` ${e.args as string}` : ''}`
      : type === 'contact'
        ? str(e.phone)
        : type === 'choice'
          ? str(e.id)
          : (str(e.text) ?? str(e.caption));
  return words ? { type, words } : { type };
}
