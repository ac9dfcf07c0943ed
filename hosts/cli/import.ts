/**
 * `npm run import -- <file> --city <slug> [--format csv|json] [--seed]` — imports a catalog file
 * into one city (DATABASE_URL or the embedded PGlite in DATA_DIR). A progress bar goes to
 * stderr, the summary and the list of rejected rows to stdout. Exit code 1 when rows were
 * rejected, 2 on usage or file errors.
 */
import { readFileSync } from 'node:fs';
import { extname } from 'node:path';
import { openDatabase } from '../../storage/db/open.ts';
import { isStorageUnavailable } from '../../storage/db/errors.ts';
import { getCityBySlug, listCities } from '../../storage/repos/cities.ts';
import { importCatalog, type ImportProgress } from '../../storage/import/import.ts';
import { seedDemoData } from '../../storage/seed/seed.ts';

function usage(message?: string): never {
  if (message) console.error(message);
  console.error('usage: npm run import -- <file.csv|file.json> --city <slug> [--format csv|json] [--seed]');
  process.exit(2);
}

const args = process.argv.slice(2);
const flag = (name: string) => {
  const i = args.indexOf(`--${name}`);
  return i === -1 ? undefined : args[i + 1];
};
const file = args.find((a, i) => !a.startsWith('--') && !['--city', '--format'].includes(args[i - 1] ?? ''));
const citySlug = flag('city');
if (!file) usage('missing <file>');
if (!citySlug) usage('missing --city <slug>');
const format = (flag('format') ?? (extname(file).toLowerCase() === '.json' ? 'json' : 'csv')) as 'csv' | 'json';
if (format !== 'csv' && format !== 'json') usage(`unknown format ${String(format)}`);

let source: Buffer;
try {
  source = readFileSync(file);
} catch (error) {
  usage(`cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}

function bar(p: ImportProgress, startedAt: number): string {
  const width = 30;
  const ratio = p.total ? p.processed / p.total : 1;
  const filled = Math.round(ratio * width);
  const secs = (performance.now() - startedAt) / 1000;
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(ratio * 100).toFixed(0).padStart(3)}% ${p.processed}/${p.total} rows · ${p.errors} rejected · ${secs.toFixed(1)} s`;
}

const databaseUrl = process.env.DATABASE_URL || undefined;
const dataDir = process.env.DATA_DIR || '.data';
try {
  const opened = await openDatabase({ databaseUrl, dataDir });
  try {
    if (args.includes('--seed')) await seedDemoData(opened.db);
    const city = await getCityBySlug(opened.db, citySlug);
    if (!city) {
      const known = (await listCities(opened.db)).map((c) => c.slug);
      usage(
        `unknown city "${citySlug}"${known.length ? ` (known: ${known.join(', ')})` : ' (no cities yet: start the server once or pass --seed)'}`,
      );
    }
    const startedAt = performance.now();
    const tty = process.stderr.isTTY;
    let lastDraw = 0;
    const result = await importCatalog(opened.db, {
      cityId: city.id,
      source,
      format,
      onProgress: (p) => {
        const now = performance.now();
        if (tty && (now - lastDraw > 100 || p.processed === p.total)) {
          process.stderr.write(bar(p, startedAt));
          lastDraw = now;
        }
        if (!tty && p.processed === p.total) process.stderr.write(`${bar(p, startedAt).slice(1)}\n`);
      },
    });
    if (tty) process.stderr.write('\n');
    const secs = ((performance.now() - startedAt) / 1000).toFixed(1);
    console.log(
      `${file} → ${city.name} (${city.slug}): ${result.imported} new, ${result.updated} updated, ${result.errors.length} rejected in ${secs} s`,
    );
    for (const term of result.created) console.log(`  new ${term.kind} «${term.name}» (${term.slug})`);
    for (const e of result.errors.slice(0, 200)) console.log(`  line ${e.line}: ${e.reason}`);
    if (result.errors.length > 200) console.log(`  … and ${result.errors.length - 200} more`);
    process.exitCode = result.errors.length ? 1 : 0;
  } finally {
    await opened.close();
  }
} catch (error) {
  console.error(
    `${isStorageUnavailable(error) ? 'database unreachable: ' : ''}${error instanceof Error ? error.message : String(error)}`,
  );
  process.exit(2);
}
