import { readdirSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { formatReplay, parseTranscript, replayTranscript } from '../../engine/transcript/index.ts';
import { fixtureTarget, loadFixtures, SCENARIOS_DIR, TRANSCRIPTS_DIR, type Fixtures } from '../cli/fixtures.ts';
import { createTelegramTarget } from './testing/transcriptTarget.ts';

/**
 * Every transcript in scenarios/transcripts/ replayed through the Telegram host: Update JSON to
 * the webhook, the real runtime on Redis, the fake Bot API, replies decoded back from Bot API calls.
 */
const files = readdirSync(TRANSCRIPTS_DIR)
  .filter((name) => name.endsWith('.transcript'))
  .sort();

describe('transcripts through the Telegram host', () => {
  let fixtures: Fixtures | undefined;
  const world = async () => (fixtures ??= await loadFixtures());

  for (const name of files) {
    const known = /^@ known-issue\b/m.test(readFileSync(`${TRANSCRIPTS_DIR}/${name}`, 'utf8'));
    (known ? it.fails : it)(
      name,
      async () => {
        const f = await world();
        const parsed = parseTranscript(await readFile(`${TRANSCRIPTS_DIR}/${name}`, 'utf8'), name);
        if (!parsed.ok) expect.fail(parsed.errors.map((e) => `line ${e.line}: ${e.message}`).join('\n'));
        const target = createTelegramTarget({
          scenario: f.scenario,
          catalog: f.catalog,
          images: f.images,
          voices: f.voices,
          scenariosDir: SCENARIOS_DIR,
        });
        const result = await replayTranscript(parsed.transcript, target);
        if (!result.ok) expect.fail(`\n${formatReplay(result, name)}`);
      },
      30_000,
    );
  }
});

describe('a shared contact through the Telegram host', () => {
  it("reaches the engine as the engine target gives it: the own number, then someone else's", async () => {
    const f = await loadFixtures();
    const parsed = parseTranscript('# contacts\n> [contact +77011234567]\n> [contact +77019998877 other]\n');
    if (!parsed.ok) expect.fail(JSON.stringify(parsed.errors));
    const engine = await replayTranscript(parsed.transcript, fixtureTarget(f).target);
    const telegram = await replayTranscript(
      parsed.transcript,
      createTelegramTarget({ ...f, scenariosDir: SCENARIOS_DIR }),
    );
    expect(telegram.turns.map((t) => t.problem)).toEqual([undefined, undefined]);
    expect(telegram.turns.map((t) => t.actual)).toEqual(engine.turns.map((t) => t.actual));
  }, 30_000);
});
