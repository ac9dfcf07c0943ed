import { accessSync, constants, existsSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import pg from 'pg';
import { Redis } from 'ioredis';
import { CHROMIUM_PATH } from '../../admin/e2e/chromium.ts';
import { RUSSIAN_CANDIDATES, russianDataFile } from '../../hosts/ocr/tessdata.ts';
import { postgresAdminUrl, TEST_REDIS_URL } from '../../storage/testServices.ts';

/**
 * Before any test file runs, checks that the machine has what the suites use — PostgreSQL and
 * Redis on 127.0.0.1, Debian's chromium, the Russian OCR data — and otherwise stops the run at
 * once with one message naming everything missing and the command that provides it, instead of
 * dozens of suites failing one by one with connection errors.
 */

/** Resolves to undefined when the thing is there, or to why it is not. */
export type Probe = () => Promise<string | undefined>;

/** `name` is how the message names it (also beside its command); `where` says where it was looked for */
export type Prerequisite = { name: string; where: string; probe: Probe; provide: string };

type Missing = { name: string; where: string; reason: string; provide: string };

const SKIP_VARIABLE = 'TEST_PREFLIGHT';

const START_SERVICES = 'docker compose -f infra/compose.test.yaml up -d --wait';

export async function findMissing(prerequisites: readonly Prerequisite[], timeoutMs: number): Promise<Missing[]> {
  const reasons = await Promise.all(prerequisites.map((p) => withTimeout(p.probe, timeoutMs)));
  return prerequisites.flatMap((p, i) =>
    reasons[i] === undefined ? [] : [{ name: p.name, where: p.where, reason: reasons[i]!, provide: p.provide }],
  );
}

async function withTimeout(probe: Probe, timeoutMs: number): Promise<string | undefined> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${timeoutMs} ms`), timeoutMs);
  });
  try {
    return await Promise.race([probe().catch((error: unknown) => describeError(error)), late]);
  } finally {
    clearTimeout(timer);
  }
}

function describeError(error: unknown): string {
  if (error instanceof AggregateError && error.errors.length > 0) return describeError(error.errors[0]);
  if (error instanceof Error) return error.message || (error as { code?: string }).code || error.name;
  return String(error);
}

/** One message: what is missing and why, then each command once with what it provides. */
function preflightMessage(missing: readonly Missing[]): string {
  const commands = new Map<string, string[]>();
  for (const m of missing) commands.set(m.provide, [...(commands.get(m.provide) ?? []), m.name]);
  return [
    'The tests cannot run on this machine yet; missing:',
    ...missing.map((m) => `  - ${m.name} ${m.where}: ${m.reason}`),
    'Provide it with:',
    ...[...commands].map(([command, names]) => `  ${command}    (${names.join(', ')})`),
    'On Debian, `sudo bash .ci/run` installs and starts all of it, then runs the tests.',
    `(${SKIP_VARIABLE}=off skips this check, for a run of files that need none of it.)`,
  ].join('\n');
}

export async function preflight(
  prerequisites: readonly Prerequisite[],
  env: NodeJS.ProcessEnv = process.env,
  timeoutMs = 1_500,
): Promise<void> {
  if (env[SKIP_VARIABLE] === 'off') return;
  const missing = await findMissing(prerequisites, timeoutMs);
  if (missing.length === 0) return;
  const error = new Error(preflightMessage(missing));
  error.stack = error.message; // the message is the whole story; a stack trace would bury it
  throw error;
}

export function postgresProbe(url: string, timeoutMs = 1_500): Probe {
  return async () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: timeoutMs });
    client.on('error', () => undefined);
    try {
      await client.connect();
      await client.query('SELECT 1');
      return undefined;
    } finally {
      await client.end().catch(() => undefined);
    }
  };
}

export function redisProbe(url: string, timeoutMs = 1_500): Probe {
  return async () => {
    const redis = new Redis(url, {
      lazyConnect: true,
      connectTimeout: timeoutMs,
      maxRetriesPerRequest: 0,
      enableOfflineQueue: false,
      retryStrategy: () => null,
    });
    // without retries ioredis rejects with "Connection is closed."; the socket's error says why
    let cause: unknown;
    redis.on('error', (error: unknown) => {
      cause ??= error;
    });
    try {
      await redis.connect();
      await redis.ping();
      return undefined;
    } catch (error) {
      throw cause ?? error;
    } finally {
      redis.disconnect();
    }
  };
}

export function executableProbe(path: string): Probe {
  return async () => {
    try {
      accessSync(path, constants.X_OK);
      return undefined;
    } catch {
      return existsSync(path) ? 'not executable' : 'not found';
    }
  };
}

export function commandProbe(command: string, path = process.env.PATH ?? ''): Probe {
  return async () => {
    const found = path.split(delimiter).some((dir) => {
      try {
        accessSync(join(dir, command), constants.X_OK);
        return true;
      } catch {
        return false;
      }
    });
    return found ? undefined : 'not on the PATH';
  };
}

export const POSTGRES: Prerequisite = {
  name: 'PostgreSQL',
  where: `at ${postgresAdminUrl()}`,
  probe: postgresProbe(postgresAdminUrl()),
  provide: START_SERVICES,
};

export const REDIS: Prerequisite = {
  name: 'Redis',
  where: `at ${TEST_REDIS_URL}`,
  probe: redisProbe(TEST_REDIS_URL),
  provide: START_SERVICES,
};

/** What `npm test` needs. */
export const TEST_PREREQUISITES: readonly Prerequisite[] = [
  POSTGRES,
  REDIS,
  {
    name: 'Chromium',
    where: `at ${CHROMIUM_PATH}`,
    probe: executableProbe(CHROMIUM_PATH),
    provide: 'sudo apt-get install chromium',
  },
  {
    name: 'the Russian OCR data',
    where: `(rus.traineddata in ${RUSSIAN_CANDIDATES.join(', ')})`,
    probe: async () => (russianDataFile() ? undefined : 'not found'),
    provide: 'sudo apt-get install tesseract-ocr-rus',
  },
];

/** vitest globalSetup of `npm test` */
export default async function setup(): Promise<void> {
  await preflight(TEST_PREREQUISITES);
}
