import type { ConversationRuntime } from '../runtime/runtime.ts';
import { ActiveConversations, type Metrics } from './metrics.ts';

/** Feeds the runtime's turns, failures and queue depths into the metrics. */
export function recordTurnMetrics(
  runtime: ConversationRuntime,
  metrics: Metrics,
  pendingAnalytics: () => number,
): void {
  const active = new ActiveConversations();
  // conversation keys start with the channel: `telegram:…`
  const channelOf = (key: string) => key.slice(0, key.indexOf(':'));
  runtime.onTurn((report) => {
    const channel = channelOf(report.conversationKey);
    metrics.messages.inc({ channel, direction: 'in' });
    if (report.replies.length > 0) metrics.messages.inc({ channel, direction: 'out' }, report.replies.length);
    if (report.latencyMs !== undefined) metrics.turnDuration.observe({ channel }, report.latencyMs / 1000);
    if (report.rateLimited) metrics.rateLimitedMessages.inc({ channel });
    active.touch(report.conversationKey, Date.now());
  });
  runtime.onFailure((key) => metrics.turnErrors.inc({ channel: channelOf(key) }));
  metrics.onCollect(() => metrics.activeConversations.set(active.count(Date.now())));
  metrics.onCollect(async () => {
    metrics.queueDepth.set({ queue: 'inbox_conversations' }, await runtime.pendingConversations().catch(() => -1));
    metrics.queueDepth.set({ queue: 'turn_slot_waiting' }, runtime.waitingConversations());
    metrics.queueDepth.set({ queue: 'analytics_buffer' }, pendingAnalytics());
    metrics.queueDepth.set({ queue: 'record_outbox' }, await runtime.pendingRecords().catch(() => -1));
  });
}
