import { relative } from 'node:path';
import { collectTranscripts, loadFixtures, replayFile, TRANSCRIPTS_DIR } from './fixtures.ts';

/**
 * `npm run replay -- <files|dirs>`: replays transcripts on the pure engine with the fixture
 * catalog and prints ✓/✗ per transcript with a diff for each failing turn. Exit code 1 on any
 * failure, 2 when nothing could be run.
 */
async function main(argv: string[]): Promise<number> {
  const verbose = argv.includes('--verbose') || argv.includes('-v');
  const paths = argv.filter((a) => !a.startsWith('-'));
  if (argv.includes('--help') || argv.includes('-h')) {
    console.log('usage: npm run replay -- [files or directories…] [--verbose]\n(default: scenarios/transcripts)');
    return 0;
  }
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
  const fixtures = await loadFixtures();
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
