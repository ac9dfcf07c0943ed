import { stateBackendContract } from './contract/index.ts';
import { embeddedHarness } from './contract/embedded-harness.ts';

stateBackendContract(embeddedHarness('pglite'));
