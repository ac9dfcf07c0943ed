import { argumentContract } from './arguments.ts';
import type { BackendHarness } from './harness.ts';
import { gateContract } from './gate.ts';
import { idempotencyContract } from './idempotency.ts';
import { inboxContract } from './inbox.ts';
import { lockContract } from './locks.ts';
import { outboxContract } from './outbox.ts';
import { pubSubContract } from './pubsub.ts';
import { rateLimiterContract } from './rate-limiter.ts';
import { snapshotContract } from './snapshots.ts';
import { timerContract } from './timers.ts';

export type { BackendHarness, StateEnv } from './harness.ts';
export {
  argumentContract,
  snapshotContract,
  lockContract,
  idempotencyContract,
  rateLimiterContract,
  pubSubContract,
  timerContract,
  inboxContract,
  outboxContract,
  gateContract,
};

/** Every StateBackend contract suite against one backend. */
export function stateBackendContract(harness: BackendHarness) {
  snapshotContract(harness);
  lockContract(harness);
  idempotencyContract(harness);
  rateLimiterContract(harness);
  pubSubContract(harness);
  timerContract(harness);
  inboxContract(harness);
  outboxContract(harness);
  gateContract(harness);
  argumentContract(harness);
}
