import { stateBackendContract } from './contract/index.ts';
import { embeddedHarness } from './contract/embedded-harness.ts';

// The embedded backend also runs on a real PostgreSQL (DATABASE_URL set, REDIS_URL not):
// its SQL must hold up under true concurrency there, not only on single-connection PGlite.
stateBackendContract(embeddedHarness('postgres'));
