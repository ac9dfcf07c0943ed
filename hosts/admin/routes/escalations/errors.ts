import { EscalationError } from '../../../escalations/service.ts';
import { conflict, notFound, unprocessable } from '../../http/errors.ts';

/** The escalation service's refusals as HTTP answers. */
export function mapError(error: unknown): never {
  if (error instanceof EscalationError) {
    if (error.reason === 'not_found') throw notFound('escalation');
    if (error.reason === 'resolved') throw conflict(error.message);
    throw unprocessable('unreachable', error.message);
  }
  throw error;
}
