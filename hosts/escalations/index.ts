export {
  EscalationService,
  EscalationError,
  type Actor,
  type Deliver,
  type EscalationServiceOptions,
} from './service.ts';
export { EscalationMediaKeeper, type EscalationMediaOptions } from './media.ts';
export { ESCALATION_CHANNEL, type EscalationEvent, type EscalationEventType } from './events.ts';
export { telegramManagerNotifier, type ManagerNotifier, type TelegramManagersLike } from './notifier.ts';
