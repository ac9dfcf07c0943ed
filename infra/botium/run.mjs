// Replays the shipped transcripts through botium-core against a running ZETA server:
// starts the platform on the embedded default (PGlite in a temporary directory, no demo data),
// loads the fixture catalog the transcripts were written against, makes an API token, exports
// the transcripts with `npm run replay -- --export botium`, and runs every convo with Botium's
// SIMPLEREST connector against POST /api/chat/:city. Exits non-zero when a convo fails.
import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { BotDriver } = require('botium-core');

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const OWNER = { email: 'botium@zeta.local', password: 'botium-owner-password' };
const CITIES = [
  { name: 'Алматы', slug: 'almaty', timezone: 'Asia/Almaty', language: 'ru' },
  { name: 'Астана', slug: 'astana', timezone: 'Asia/Almaty', language: 'kk' },
];
const START_TIMEOUT_MS = 180_000;

const freePort = () =>
  new Promise((done, fail) => {
    const probe = createServer()
      .once('error', fail)
      .listen(0, '127.0.0.1', () => {
        const { port } = probe.address();
        probe.close(() => done(port));
      });
  });

function startServer(port, dataDir) {
  const env = { ...process.env };
  for (const name of ['DATABASE_URL', 'REDIS_URL', 'OPENAI_API_KEY', 'TELEGRAM_BOT_TOKEN', 'WHATSAPP_TOKEN'])
    delete env[name];
  Object.assign(env, {
    PORT: String(port),
    HOST: '127.0.0.1',
    DATA_DIR: dataDir,
    DEMO_DATA: 'off',
    LOG_LEVEL: 'warn',
    ADMIN_EMAIL: OWNER.email,
    ADMIN_PASSWORD: OWNER.password,
    JWT_SECRET: 'botium-run-jwt-secret-0123456789abcdef',
  });
  const child = spawn(process.execPath, ['--import', 'tsx', 'hosts/server/main.ts'], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  const exited = new Promise((done) => child.once('exit', (code, signal) => done({ code, signal })));
  return { child, exited };
}

async function waitUntilHealthy(base, exited) {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let gone = false;
  exited.then(() => {
    gone = true;
  });
  while (Date.now() < deadline) {
    if (gone) throw new Error('the server exited while starting');
    try {
      const res = await fetch(`${base}/health`);
      if (res.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 500));
  }
  throw new Error(`the server did not become healthy within ${START_TIMEOUT_MS / 1000} s`);
}

async function call(base, bearer, method, path, body) {
  const res = await fetch(`${base}/api${path}`, {
    method,
    headers: { 'content-type': 'application/json', ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} /api${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : undefined;
}

/** The cities and the fixture catalog the transcripts were written against, and a designer API token. */
async function prepare(base) {
  const { accessToken } = await call(base, undefined, 'POST', '/auth/login', OWNER);
  const catalog = JSON.parse(await readFile(join(ROOT, 'scenarios/fixtures/catalog.json'), 'utf8'));
  // the transcripts' fixture world leaves out-of-stock products out of search results, the live
  // search lists them last: only what is in stock is loaded, so both count the same products
  const rows = catalog
    .filter((p) => p.available)
    .map((p) => ({
      sku: p.sku,
      name: p.name,
      description: p.description,
      price: p.price,
      category: p.category,
      color: p.color,
      material: p.material,
      image_url: p.imageUrl,
      is_available: p.available,
    }));
  for (const city of CITIES) {
    await call(base, accessToken, 'POST', '/cities', city);
    await call(base, accessToken, 'POST', `/products/import?city=${city.slug}`, rows);
  }
  const { token } = await call(base, accessToken, 'POST', '/api-tokens', { name: 'botium run', role: 'designer' });
  return token;
}

function exportConvos(base, token, dir) {
  return new Promise((done, fail) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', 'hosts/cli/replay.ts', '--export', 'botium', dir, '--base-url', base, '--token', token],
      {
        cwd: ROOT,
        stdio: ['ignore', 'inherit', 'inherit'],
      },
    );
    child.once('exit', (code) => (code === 0 ? done() : fail(new Error(`export exited with ${code}`))));
  });
}

async function runConvos(dir) {
  const results = [];
  for (const suite of (await readdir(dir, { withFileTypes: true }))
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort()) {
    const suiteDir = join(dir, suite);
    const { botium } = JSON.parse(await readFile(join(suiteDir, 'botium.json'), 'utf8'));
    const driver = new BotDriver({ ...botium.Capabilities, TEMPDIR: join(dir, '..', 'botium-work') });
    const compiler = driver.BuildCompiler();
    compiler.ReadScriptsFromDirectory(suiteDir);
    compiler.ExpandConvos();
    for (const convo of [...compiler.convos].sort((a, b) => a.sourceTag.filename.localeCompare(b.sourceTag.filename))) {
      const name = `${suite}/${convo.sourceTag.filename}`;
      const container = await driver.Build();
      try {
        await container.Start();
        await convo.Run(container);
        results.push({ name, ok: true });
        console.log(`✓ ${name}`);
      } catch (error) {
        results.push({ name, ok: false });
        const why = String(error?.message ?? error)
          .split('\n')
          .join('\n    ');
        console.log(`✗ ${name}\n    ${why}`);
      } finally {
        await container.Stop().catch(() => {});
        await container.Clean().catch(() => {});
      }
    }
  }
  return results;
}

async function main() {
  process.env.BOTIUM_ANALYTICS = 'false';
  const work = await mkdtemp(join(tmpdir(), 'zeta-botium-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const server = startServer(port, join(work, 'data'));
  try {
    await waitUntilHealthy(base, server.exited);
    const token = await prepare(base);
    const convos = join(work, 'convos');
    await exportConvos(base, token, convos);
    const results = await runConvos(convos);
    const failed = results.filter((r) => !r.ok).length;
    console.log(`\nbotium: ${results.length - failed} passed, ${failed} failed`);
    return results.length === 0 || failed > 0 ? 1 : 0;
  } finally {
    server.child.kill('SIGTERM');
    await Promise.race([server.exited, new Promise((r) => setTimeout(r, 15_000))]);
    if (server.child.exitCode === null) server.child.kill('SIGKILL');
    await rm(work, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`botium: ${error?.stack ?? error}`);
    console.log('\nbotium: 0 passed, 1 failed');
    process.exit(1);
  },
);
