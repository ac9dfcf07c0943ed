import { createSignal } from 'solid-js';
import { API_BASE, api } from './api/client.ts';
import type { Escalation, Paged } from './api/types.ts';

/**
 * Live escalation updates over Server-Sent Events (`GET /api/escalations/stream`). One
 * EventSource per tab; pages subscribe to its events. EventSource reconnects by itself; while it
 * is down `connected()` is false and the inbox shows it.
 */
export type EscalationEvent = {
  type: string;
  escalation?: Escalation;
  escalationId?: string;
  id?: string;
  [k: string]: unknown;
};

const [connected, setConnected] = createSignal(false);
const [pendingEscalations, setPending] = createSignal(0);
export { connected, pendingEscalations };

const listeners = new Set<(e: EscalationEvent) => void>();
let source: EventSource | undefined;
/** a reload or navigation away closes the stream too; that is no reason to reconnect */
let leaving = false;
if (typeof window !== 'undefined') window.addEventListener('pagehide', () => (leaving = true));

export function onEscalationEvent(fn: (e: EscalationEvent) => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

export async function refreshPendingCount(): Promise<void> {
  try {
    const res = await api.get<Paged<Escalation> | Escalation[]>('/escalations', { status: 'pending', limit: 1 });
    setPending(Array.isArray(res) ? res.length : res.total);
  } catch {
    /* the badge is a nicety */
  }
}

function dispatch(type: string, data: string): void {
  let parsed: EscalationEvent = { type };
  try {
    const body = JSON.parse(data) as Record<string, unknown>;
    parsed = { ...body, type: typeof body.type === 'string' ? body.type : type } as EscalationEvent;
  } catch {
    /* a comment or heartbeat */
  }
  if (type === 'ping' || type === 'heartbeat' || type === 'ready') return;
  for (const fn of listeners) fn(parsed);
  void refreshPendingCount();
}

export function startLive(): void {
  if (source || typeof EventSource === 'undefined') return;
  source = new EventSource(`${API_BASE}/escalations/stream`, { withCredentials: true });
  source.onopen = () => setConnected(true);
  source.onerror = () => {
    setConnected(false);
    // EventSource retries network drops itself but gives up on an HTTP error (an expired access
    // cookie): refresh the session once and open a new stream
    if (source?.readyState === EventSource.CLOSED && !leaving) {
      source = undefined;
      // an authenticated call takes the ordinary 401 → refresh path only when the cookie really
      // expired (a refresh whose answer is lost spends the rotating refresh token for nothing)
      setTimeout(() => {
        if (leaving) return;
        void api.get('/auth/me').then(
          () => startLive(),
          () => {},
        );
      }, 1000);
    }
  };
  source.onmessage = (e) => dispatch('message', e.data as string);
  source.addEventListener('ready', () => setConnected(true));
  // the stream names each event after its type (hosts/escalations/events.ts)
  for (const type of ['escalation.opened', 'escalation.message', 'escalation.updated']) {
    source.addEventListener(type, (e) => dispatch(type, (e as MessageEvent).data as string));
  }
  void refreshPendingCount();
}

export function stopLive(): void {
  source?.close();
  source = undefined;
  setConnected(false);
}
