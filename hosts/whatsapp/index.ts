export { createWhatsAppHost, type WhatsAppHost, type WhatsAppHostOptions } from './host.ts';
export { WhatsAppChannel, type WhatsAppChannelOptions, type SentEvent } from './send.ts';
export { whatsappRoutes, MAX_BODY_BYTES, type WhatsAppRoutesOptions } from './routes.ts';
export { GraphClient, type GraphClientOptions, type SendResult } from './graphClient.ts';
export {
  GraphError,
  GraphAuthError,
  GraphRateLimitError,
  GraphReEngagementError,
  GraphMediaError,
  GraphServerError,
  GraphRequestError,
} from './graphErrors.ts';
export { NumberDirectory, type WhatsAppNumber, type WhatsAppNumberSource } from './numbers.ts';
export { stateWindowStore, isWindowOpen, WINDOW_MS, type CustomerWindowStore } from './window.ts';
export { stateSentBatchStore, memorySentBatchStore, type SentBatch, type SentBatchStore } from './sentBatches.ts';
export { rateLimitedThrottle, type SendThrottle } from './throttle.ts';
export { renderReplies } from './render.ts';
export { toShopperEvent } from './inbound.ts';
export { verifySignature } from './signature.ts';
export { templateMessage, type TemplateParam } from './template.ts';
export { WA_LIMITS } from './limits.ts';
export type { OutboundMessage, SendBody } from './messages.ts';
export type { Status } from './envelope.ts';
