import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { postgresAdminUrl, TEST_REDIS_URL } from '../../storage/testServices.ts';
import { FAULT_PREREQUISITES } from '../faults/preflight.ts';
import {
  commandProbe,
  executableProbe,
  findMissing,
  postgresProbe,
  preflight,
  redisProbe,
  TEST_PREREQUISITES,
  type Prerequisite,
  type Probe,
} from './preflight.ts';

const present: Probe = async () => undefined;
const absent =
  (reason: string): Probe =>
  async () =>
    reason;
const services = 'docker compose -f infra/compose.test.yaml up -d --wait';

const scratch = mkdtempSync(join(tmpdir(), 'zeta-preflight-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

/** a port nothing listens on: bound once, then closed */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('preflight', () => {
  it('lets the run start when everything is there', async () => {
    await expect(
      preflight([{ name: 'PostgreSQL', where: 'at pg', probe: present, provide: services }], {}),
    ).resolves.toBeUndefined();
  });

  it('stops with one message naming everything missing, why, and each command once', async () => {
    const prerequisites: Prerequisite[] = [
      { name: 'PostgreSQL', where: 'at pg', probe: absent('connect ECONNREFUSED 127.0.0.1:5432'), provide: services },
      { name: 'Redis', where: 'at redis', probe: absent('connect ECONNREFUSED 127.0.0.1:6379'), provide: services },
      { name: 'Chromium', where: 'at /usr/bin/chromium', probe: present, provide: 'sudo apt-get install chromium' },
      {
        name: 'the Russian OCR data',
        where: '(rus.traineddata)',
        probe: absent('not in /usr/share/tessdata/rus.traineddata'),
        provide: 'sudo apt-get install tesseract-ocr-rus',
      },
    ];
    const error = await preflight(prerequisites, {}).then(
      () => undefined,
      (e: Error) => e,
    );
    const lines = error!.message.split('\n');
    expect(lines).toContain('  - PostgreSQL at pg: connect ECONNREFUSED 127.0.0.1:5432');
    expect(lines).toContain('  - Redis at redis: connect ECONNREFUSED 127.0.0.1:6379');
    expect(lines).toContain('  - the Russian OCR data (rus.traineddata): not in /usr/share/tessdata/rus.traineddata');
    expect(error!.message).not.toMatch(/- Chromium/);
    expect(lines.filter((l) => l.includes(services))).toEqual([`  ${services}    (PostgreSQL, Redis)`]);
    expect(lines).toContain('  sudo apt-get install tesseract-ocr-rus    (the Russian OCR data)');
    expect(error!.message).not.toMatch(/apt-get install chromium/);
    expect(error!.message).toMatch(/sudo bash \.ci\/run/);
  });

  it('reports a probe that throws by its error, and one that never answers as silent', async () => {
    const refused = Object.assign(new AggregateError([new Error('connect ECONNREFUSED ::1:5432')], ''), {
      code: 'ECONNREFUSED',
    });
    const missing = await findMissing(
      [
        {
          name: 'thrower',
          where: 'here',
          probe: async () => {
            throw refused;
          },
          provide: 'x',
        },
        { name: 'silent', where: 'there', probe: () => new Promise(() => undefined), provide: 'y' },
      ],
      50,
    );
    expect(missing).toEqual([
      { name: 'thrower', where: 'here', reason: 'connect ECONNREFUSED ::1:5432', provide: 'x' },
      { name: 'silent', where: 'there', reason: 'no answer within 50 ms', provide: 'y' },
    ]);
  });

  it('is skipped, probing nothing, with TEST_PREFLIGHT=off', async () => {
    let probed = 0;
    const counting: Probe = async () => {
      probed++;
      return 'missing';
    };
    await expect(
      preflight([{ name: 'PostgreSQL', where: 'at pg', probe: counting, provide: services }], {
        TEST_PREFLIGHT: 'off',
      }),
    ).resolves.toBeUndefined();
    expect(probed).toBe(0);
    await expect(
      preflight([{ name: 'PostgreSQL', where: 'at pg', probe: counting, provide: services }], {}),
    ).rejects.toThrow(/PostgreSQL at pg: missing/);
    expect(probed).toBe(1);
  });
});

describe('the probes', () => {
  it('PostgreSQL: answers on the test address; a closed port or an absent database is named', async () => {
    expect(await postgresProbe(postgresAdminUrl())()).toBeUndefined();
    await expect(postgresProbe(`postgres://postgres@127.0.0.1:${await closedPort()}/test`)()).rejects.toThrow(
      /ECONNREFUSED/,
    );
    await expect(postgresProbe(postgresAdminUrl('zeta_preflight_no_such_database'))()).rejects.toThrow(
      /does not exist/,
    );
  });

  it('Redis: answers on the test address; a closed port is named', async () => {
    expect(await redisProbe(TEST_REDIS_URL)()).toBeUndefined();
    await expect(redisProbe(`redis://127.0.0.1:${await closedPort()}`)()).rejects.toThrow(/ECONNREFUSED/);
  });

  it('a program: found and executable, present but not executable, or not found', async () => {
    const program = join(scratch, 'browser');
    expect(await executableProbe(program)()).toBe('not found');
    writeFileSync(program, '#!/bin/sh\n');
    chmodSync(program, 0o644);
    expect(await executableProbe(program)()).toBe('not executable');
    chmodSync(program, 0o755);
    expect(await executableProbe(program)()).toBeUndefined();
    expect(await commandProbe('browser', `/nonexistent:${scratch}`)()).toBeUndefined();
    expect(await commandProbe('pg_ctlcluster-missing', scratch)()).toBe('not on the PATH');
  });

  it('npm test and test:faults find what they need on this machine', async () => {
    expect(TEST_PREREQUISITES.map((p) => p.name)).toEqual(['PostgreSQL', 'Redis', 'Chromium', 'the Russian OCR data']);
    expect(await findMissing(TEST_PREREQUISITES, 1_500)).toEqual([]);
    expect(await findMissing(FAULT_PREREQUISITES, 1_500)).toEqual([]);
  });
});
