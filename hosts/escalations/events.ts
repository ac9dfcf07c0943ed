import type { Escalation, EscalationMessage } from '../../storage/repos/escalations.ts';

/** Pub/sub channel of live escalation updates (admin inbox SSE, every replica). */
export const ESCALATION_CHANNEL = 'zeta:escalations';

export type EscalationEvent =
  | { type: 'escalation.opened'; escalation: Escalation }
  | { type: 'escalation.message'; escalationId: string; message: EscalationMessage }
  | { type: 'escalation.updated'; escalation: Escalation };

export type EscalationEventType = EscalationEvent['type'];
