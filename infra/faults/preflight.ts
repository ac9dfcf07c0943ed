import { commandProbe, POSTGRES, preflight, REDIS, type Prerequisite } from '../testing/preflight.ts';

/**
 * What `npm run test:faults` needs before it starts: the suites stop and start the machine's own
 * PostgreSQL and Redis with their command-line tools, so containers cannot stand in for them.
 */
const MACHINE_SERVICES = 'sudo bash .ci/run';

export const FAULT_PREREQUISITES: readonly Prerequisite[] = [
  { ...POSTGRES, provide: MACHINE_SERVICES },
  { ...REDIS, provide: MACHINE_SERVICES },
  ...['pg_ctlcluster', 'redis-server', 'redis-cli'].map((command) => ({
    name: command,
    where: 'on the PATH (the fault suites stop and start the services with it)',
    probe: commandProbe(command),
    provide: 'sudo apt-get install postgresql redis-server',
  })),
];

/** vitest globalSetup of `npm run test:faults` */
export default async function setup(): Promise<void> {
  await preflight(FAULT_PREREQUISITES);
}
