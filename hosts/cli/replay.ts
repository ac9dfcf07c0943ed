import { relative } from 'node:path';
import { exportBotium } from './botiumExport.ts';
import {
  collectTranscripts,
  loadFixtures,
  replayFile,
  ScenarioLoadError,
  TRANSCRIPTS_DIR,
  type Fixtures,
} from './fixtures.ts';

/**
 * `npm run replay -- <files|dirs>`: replays transcripts on the pure engine with the fixture
 * catalog and prints ✓/✗ per transcript with a diff for each failing turn. Exit code 1 on any
 * failure, 2 when nothing could be run. `--export botium <dir>` writes them as Botium convos instead.
 */
const USAGE = `usage: npm run replay -- [files or directories…] [--verbose] [--scenario <file.yaml|json>]
       npm run replay -- [files or directories…] --export botium <dir> [--base-url http://localhost:3000] [--token zeta_…]
(default: scenarios/transcripts on scenarios/default.yaml; --scenario replays on a file saved nowhere, a designer's draft;
 the token defaults to ZETA_API_TOKEN)`;

async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log(USAGE);
    return 0;
  }
  const valued = new Map<string, string>();
  const rest: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (['--export', '--base-url', '--token', '--scenario'].includes(arg)) {
      const value = argv[++i];
      if (value === undefined || value.startsWith('-')) return usageError(`${arg} needs a value`);
      if (arg === '--export') {
        if (value !== 'botium') return usageError(`--export knows only "botium" (got "${value}")`);
        const dir = argv[++i];
        if (dir === undefined || dir.startsWith('-')) return usageError('--export botium needs a directory');
        valued.set('--export', dir);
      } else valued.set(arg, value);
    } else rest.push(arg);
  }
  const paths = rest.filter((a) => !a.startsWith('-'));
  let files: string[];
  try {
    files = await collectTranscripts(paths.length > 0 ? paths : [TRANSCRIPTS_DIR]);
  } catch (error) {
    console.error(`replay: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  if (files.length === 0) {
    console.error('replay: no .transcript files found');
    return 2;
  }
  let fixtures: Fixtures;
  try {
    fixtures = await loadFixtures(valued.get('--scenario'));
  } catch (error) {
    if (!(error instanceof ScenarioLoadError)) throw error;
    console.error(`replay: ${error.message}`);
    return 2;
  }
  const exportDir = valued.get('--export');
  if (exportDir !== undefined) {
    const token = valued.get('--token') ?? process.env.ZETA_API_TOKEN ?? 'zeta_PUT-YOUR-API-TOKEN-HERE';
    const report = await exportBotium(files, fixtures, {
      dir: exportDir,
      baseUrl: valued.get('--base-url') ?? 'http://localhost:3000',
      token,
    });
    for (const s of report.skipped) console.log(`- skipped ${s.file}: ${s.reason}`);
    for (const w of report.written)
      console.log(`✓ ${relative(process.cwd(), w.file)}${w.stop ? ` (the turns before ${w.stop})` : ''}`);
    console.log(
      `\n${report.written.length} convos written to ${exportDir} (a botium.json per city and language), ${report.skipped.length} transcripts skipped`,
    );
    return report.written.length > 0 ? 0 : 2;
  }
  let passed = 0;
  for (const file of files) {
    const outcome = await replayFile(file, fixtures, relative(process.cwd(), file));
    if (outcome.ok) passed += 1;
    console.log(outcome.ok || verbose ? outcome.report : trimReport(outcome.report));
  }
  const failed = files.length - passed;
  console.log(`\n${passed} passed, ${failed} failed, ${files.length} transcripts`);
  return failed === 0 ? 0 : 1;
}

function usageError(message: string): number {
  console.error(`replay: ${message}\n${USAGE}`);
  return 2;
}

/** Later turns usually fail because an earlier one did: show the first three unless --verbose. */
function trimReport(report: string): string {
  const parts = report.split(/\n(?=  line \d+)/);
  if (parts.length <= 4) return report;
  return [...parts.slice(0, 4), `  … ${parts.length - 4} more failing turns (--verbose shows them)`].join('\n');
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof Error ? error.stack : error);
    process.exit(2);
  },
);
