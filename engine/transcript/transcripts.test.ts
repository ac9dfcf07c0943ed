import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadFixtures, replayFile, TRANSCRIPTS_DIR, type Fixtures } from '../../hosts/cli/fixtures.ts';

/**
 * Every recorded transcript in scenarios/transcripts/ replayed through the pure engine with the
 * fixture catalog — this is how `npm test` runs them. A failure prints the readable diff.
 * (A test file: it may read files; the engine code it exercises stays pure.)
 */
const files = readdirSync(TRANSCRIPTS_DIR)
  .filter((name) => name.endsWith('.transcript'))
  .sort();

describe('transcripts', () => {
  let fixtures: Fixtures | undefined;
  const world = async () => (fixtures ??= await loadFixtures());

  it('there are at least 25 of them', () => {
    expect(files.length).toBeGreaterThanOrEqual(25);
  });

  for (const name of files) {
    // `@ known-issue …` marks a transcript that documents a bug not fixed yet: it must still fail
    // (so the assertion is not silently weakened) and starts passing the test only once removed.
    const known = /^@ known-issue\b/m.test(readFileSync(`${TRANSCRIPTS_DIR}/${name}`, 'utf8'));
    (known ? it.fails : it)(name, async () => {
      const outcome = await replayFile(`${TRANSCRIPTS_DIR}/${name}`, await world(), name);
      if (!outcome.ok) expect.fail(`\n${outcome.report}`);
    });
  }
});
